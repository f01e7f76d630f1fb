import { status as GrpcStatus } from '@grpc/grpc-js';
import { isMeshError } from '@toskamesh/common';

/** How one error is answered over HTTP (problem+json) and gRPC. */
export interface MappedError {
  httpStatus: number;
  grpcCode: GrpcStatus;
  title: string;
  /** Text safe to show the caller; internals of unknown errors never leak. */
  detail: string;
  /** One line per broken rule (validation), else `[detail]`. */
  errors: string[];
  code: string;
  /** The error is not the caller's fault: log it with its stack. */
  unexpected: boolean;
}

interface CodeRule {
  httpStatus: number;
  grpcCode: GrpcStatus;
  title: string;
}

const BY_CODE: Record<string, CodeRule> = {
  MESH_COMMON_VALIDATION_FAILED: {
    httpStatus: 400,
    grpcCode: GrpcStatus.INVALID_ARGUMENT,
    title: 'Validation failed',
  },
  MESH_REGISTRY_NOT_REGISTERED: { httpStatus: 404, grpcCode: GrpcStatus.NOT_FOUND, title: 'Not found' },
  MESH_DISCOVERY_NOT_TRACKED: { httpStatus: 404, grpcCode: GrpcStatus.NOT_FOUND, title: 'Not found' },
  MESH_SECURITY_TOKEN_MISSING: {
    httpStatus: 401,
    grpcCode: GrpcStatus.UNAUTHENTICATED,
    title: 'Unauthorized',
  },
  MESH_SECURITY_TOKEN_INVALID: {
    httpStatus: 401,
    grpcCode: GrpcStatus.UNAUTHENTICATED,
    title: 'Unauthorized',
  },
  MESH_DISCOVERY_UNAUTHENTICATED: {
    httpStatus: 401,
    grpcCode: GrpcStatus.UNAUTHENTICATED,
    title: 'Unauthorized',
  },
  MESH_SECURITY_FORBIDDEN: { httpStatus: 403, grpcCode: GrpcStatus.PERMISSION_DENIED, title: 'Forbidden' },
  MESH_DISCOVERY_NOT_OWNER: { httpStatus: 403, grpcCode: GrpcStatus.PERMISSION_DENIED, title: 'Forbidden' },
  MESH_REGISTRY_UNAVAILABLE: {
    httpStatus: 503,
    grpcCode: GrpcStatus.UNAVAILABLE,
    title: 'Registry unavailable',
  },
  MESH_COMMON_TIMEOUT: { httpStatus: 503, grpcCode: GrpcStatus.UNAVAILABLE, title: 'Registry timed out' },
  MESH_DISCOVERY_WATCH_CAPACITY: {
    httpStatus: 503,
    grpcCode: GrpcStatus.RESOURCE_EXHAUSTED,
    title: 'Too many watch clients',
  },
};

/** The token may be fine but its keys (JWKS) could not be fetched: a 401 would make clients drop it. */
const KEYS_UNAVAILABLE: CodeRule = {
  httpStatus: 503,
  grpcCode: GrpcStatus.UNAVAILABLE,
  title: 'Token keys unavailable',
};

const UNEXPECTED = 'An unexpected error occurred. Please try again later.';

/** Maps anything thrown to statuses and caller-safe text: `MeshError` codes first, then HTTP errors. */
export function mapError(error: unknown): MappedError {
  if (isMeshError(error)) {
    const rule = error.details.reason === 'key_unavailable' ? KEYS_UNAVAILABLE : BY_CODE[error.code];
    if (rule) {
      const listed = error.details.errors;
      const errors = Array.isArray(listed) && listed.length ? listed.map(String) : [error.message];
      return { ...rule, detail: error.message, errors, code: error.code, unexpected: false };
    }
  }
  const http = httpErrorOf(error);
  if (http) {
    const grpcCode = http.status < 500 ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL;
    return {
      httpStatus: http.status,
      grpcCode,
      title: http.title,
      detail: http.message,
      errors: [http.message],
      code: `HTTP_${http.status}`,
      unexpected: false,
    };
  }
  return {
    httpStatus: 500,
    grpcCode: GrpcStatus.INTERNAL,
    title: 'Internal Server Error',
    detail: UNEXPECTED,
    errors: [UNEXPECTED],
    code: 'MESH_DISCOVERY_INTERNAL',
    unexpected: true,
  };
}

/**
 * Nest `HttpException`s (404 of unknown routes, 400 of body-parser syntax errors) and `http-errors`
 * with `expose` (413 payload too large) carry a status and a message meant for the caller.
 */
function httpErrorOf(error: unknown): { status: number; title: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as {
    getStatus?: () => number;
    getResponse?: () => unknown;
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (typeof candidate.getStatus === 'function' && typeof candidate.getResponse === 'function') {
    const status = candidate.getStatus();
    const response = candidate.getResponse() as { message?: unknown; error?: unknown } | string;
    const message = typeof response === 'string' ? response : messageOf(response.message, candidate.message);
    const title =
      typeof response === 'object' && typeof response.error === 'string' ? response.error : titleOf(status);
    return { status, title, message };
  }
  if (candidate.expose === true && typeof candidate.status === 'number' && candidate.status < 500) {
    return { status: candidate.status, title: titleOf(candidate.status), message: String(candidate.message) };
  }
  return undefined;
}

function messageOf(message: unknown, fallback: unknown): string {
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : String(fallback);
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
  };
  return titles[status] ?? (status >= 500 ? 'Server Error' : 'Request Error');
}
