/** The .NET original's `ApiResponse<T>` for successful calls. */
export interface ApiEnvelope<T> {
  success: true;
  data: T | null;
  message: string | null;
  timestamp: string;
  traceId: string | null;
}

/** What a controller returns: the payload and the original's success message; the interceptor wraps it. */
export class ApiResult<T> {
  constructor(
    readonly data: T | null,
    readonly message: string | null = null,
  ) {}
}

/** Shorthand for `new ApiResult(data, message)`. */
export function apiResult<T>(data: T | null, message: string | null = null): ApiResult<T> {
  return new ApiResult(data, message);
}

/** Wraps a payload in the envelope. */
export function envelope<T>(result: ApiResult<T>, traceId: string | null): ApiEnvelope<T> {
  return {
    success: true,
    data: result.data,
    message: result.message,
    timestamp: new Date().toISOString(),
    traceId,
  };
}
