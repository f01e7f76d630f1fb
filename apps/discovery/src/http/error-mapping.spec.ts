import { status as GrpcStatus } from '@grpc/grpc-js';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { MeshTimeoutError, MeshValidationError } from '@toskamesh/common';
import { RegistryUnavailableError, ServiceNotRegisteredError } from '@toskamesh/registry';
import { InvalidTokenError, MissingTokenError } from '@toskamesh/security';
import { NotOwnerError } from '../errors/not-owner.error.js';
import { mapError } from './error-mapping.js';

describe(mapError.name, () => {
  it.each([
    [new MeshValidationError('x', ['a', 'b']), 400, GrpcStatus.INVALID_ARGUMENT],
    [new ServiceNotRegisteredError('id'), 404, GrpcStatus.NOT_FOUND],
    [new MissingTokenError(), 401, GrpcStatus.UNAUTHENTICATED],
    [new InvalidTokenError('expired'), 401, GrpcStatus.UNAUTHENTICATED],
    [new InvalidTokenError('key_unavailable'), 503, GrpcStatus.UNAVAILABLE],
    [new NotOwnerError('a', 'b'), 403, GrpcStatus.PERMISSION_DENIED],
    [new RegistryUnavailableError('redis', 'down'), 503, GrpcStatus.UNAVAILABLE],
    [new MeshTimeoutError('redis get', 100), 503, GrpcStatus.UNAVAILABLE],
  ])('maps %s to HTTP %i / gRPC %i', (error, httpStatus, grpcCode) => {
    expect(mapError(error)).toMatchObject({ httpStatus, grpcCode, code: error.code, unexpected: false });
  });

  it('lists every validation problem in errors', () => {
    expect(mapError(new MeshValidationError('x', ['a', 'b'])).errors).toEqual(['a', 'b']);
  });

  it('keeps the status of Nest HTTP exceptions and exposed http-errors', () => {
    expect(mapError(new NotFoundException('Cannot GET /x'))).toMatchObject({
      httpStatus: 404,
      detail: 'Cannot GET /x',
    });
    expect(mapError(new BadRequestException('Unexpected end of JSON input'))).toMatchObject({
      httpStatus: 400,
    });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(mapError(tooLarge)).toMatchObject({ httpStatus: 413, title: 'Payload Too Large' });
  });

  it('answers 500 without the message of an unknown error', () => {
    const mapped = mapError(new Error('password=hunter2 at db.ts:12'));
    expect(mapped).toMatchObject({ httpStatus: 500, grpcCode: GrpcStatus.INTERNAL, unexpected: true });
    expect(JSON.stringify(mapped)).not.toMatch(/hunter2/);
  });
});
