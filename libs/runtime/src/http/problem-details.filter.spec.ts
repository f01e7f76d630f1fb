import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { ArgumentsHost } from '@nestjs/common';
import { MeshError, MeshTimeoutError, MeshValidationError } from '@toskamesh/common';
import { CircuitOpenError } from '@toskamesh/resilience';
import { NoHealthyInstanceError } from '../errors/no-healthy-instance.error.js';
import { UpstreamStatusError } from '../errors/upstream-status.error.js';
import { ProblemDetailsFilter, toProblem } from './problem-details.filter.js';
import { problemStatusOf } from './problem-status.js';

/** Records what the filter does to an Express response. */
class FakeResponse {
  headersSent = false;
  statusCode = 200;
  headers: Record<string, string> = {};
  contentType: string | undefined;
  body: string | undefined;
  destroyed = false;

  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  type(value: string): this {
    this.contentType = value;
    return this;
  }

  send(body: string): this {
    this.body = body;
    return this;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

function httpHost(response: FakeResponse, url = '/orders/1'): ArgumentsHost {
  const request = { method: 'GET', url, originalUrl: url };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
}

describe(toProblem.name, () => {
  it('answers a MeshValidationError with 400 and every broken rule in errors[]', () => {
    const problem = toProblem(
      new MeshValidationError('order', ['qty must be positive', 'sku is required']),
      '/o',
    );
    expect(problem).toEqual({
      type: 'https://toskamesh.dev/problems/mesh-common-validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid order: qty must be positive; sku is required',
      instance: '/o',
      code: 'MESH_COMMON_VALIDATION_FAILED',
      errors: ['qty must be positive', 'sku is required'],
    });
  });

  it('keeps an HttpException status and message', () => {
    expect(toProblem(new NotFoundException('no order 7'))).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no order 7',
    });
  });

  it('lists class-validator style messages of a BadRequestException in errors[]', () => {
    const problem = toProblem(new BadRequestException(['name must be a string', 'age must be > 0']));
    expect(problem).toMatchObject({
      status: 400,
      errors: ['name must be a string', 'age must be > 0'],
      detail: 'name must be a string; age must be > 0',
    });
  });

  it('answers a string-bodied HttpException with that string', () => {
    expect(toProblem(new HttpException('teapot', 418))).toMatchObject({ status: 418, detail: 'teapot' });
  });

  it('answers an unknown error with 500 without leaking its message', () => {
    const problem = toProblem(new Error('password=hunter2 at db.internal:5432'));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The service failed to handle the request',
      instance: undefined,
    });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('hides the message of a non-retryable MeshError that maps to 5xx', () => {
    const problem = toProblem(new MeshError('MESH_APP_BROKEN', 'secret internals'));
    expect(problem).toMatchObject({ status: 500, code: 'MESH_APP_BROKEN' });
    expect(problem.detail).not.toContain('secret');
  });

  it('maps library error codes to their statuses', () => {
    expect(toProblem(new NoHealthyInstanceError('orders')).status).toBe(503);
    expect(toProblem(new MeshTimeoutError('GET orders', 100)).status).toBe(504);
    expect(toProblem(new UpstreamStatusError('orders', 500, {}, 'GET', '/x')).status).toBe(502);
  });
});

describe(problemStatusOf.name, () => {
  it('prefers an override, then the table, then 503 for retryable and 500 otherwise', () => {
    const unknown = new MeshError('MESH_APP_X', 'x');
    expect(problemStatusOf(unknown)).toBe(500);
    expect(problemStatusOf(new MeshError('MESH_APP_Y', 'y', { retryable: true }))).toBe(503);
    expect(problemStatusOf(unknown, { MESH_APP_X: 409 })).toBe(409);
  });
});

describe(ProblemDetailsFilter.name, () => {
  let filter: ProblemDetailsFilter;
  let logged: jest.Spied<typeof Logger.prototype.error>;

  beforeEach(() => {
    filter = new ProblemDetailsFilter();
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('catch', () => {
    it('writes application/problem+json with the status and the request path as instance', () => {
      const response = new FakeResponse();
      filter.catch(new MeshValidationError('order', ['qty must be positive']), httpHost(response));
      expect(response.statusCode).toBe(400);
      expect(response.contentType).toBe('application/problem+json');
      expect(JSON.parse(response.body!)).toMatchObject({
        status: 400,
        instance: '/orders/1',
        errors: ['qty must be positive'],
      });
      expect(logged).not.toHaveBeenCalled();
    });

    it('logs a 5xx with its details while the body stays generic', () => {
      const response = new FakeResponse();
      filter.catch(new Error('database on fire'), httpHost(response));
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('database on fire');
      expect(String(logged.mock.calls[0]![0])).toContain('database on fire');
    });

    it('sets Retry-After in whole seconds for an open circuit (retryAfterMs)', () => {
      const response = new FakeResponse();
      filter.catch(new CircuitOpenError('service:orders', 2500), httpHost(response));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('3');
    });

    it('reads retryAfterMs from details too', () => {
      const response = new FakeResponse();
      const error = new MeshError('MESH_APP_BUSY', 'busy', {
        retryable: true,
        details: { retryAfterMs: 400 },
      });
      filter.catch(error, httpHost(response));
      expect(response.headers['retry-after']).toBe('1');
    });

    it('sets no Retry-After otherwise', () => {
      const response = new FakeResponse();
      filter.catch(new NotFoundException(), httpHost(response));
      expect(response.headers).not.toHaveProperty('retry-after');
    });

    it('closes the connection when the response was already sent', () => {
      const response = new FakeResponse();
      response.headersSent = true;
      filter.catch(new Error('late failure'), httpHost(response));
      expect(response.destroyed).toBe(true);
      expect(response.body).toBeUndefined();
    });

    it('rethrows outside HTTP so RPC filters can handle it', () => {
      const error = new Error('rpc');
      const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;
      expect(() => filter.catch(error, host)).toThrow(error);
    });
  });
});
