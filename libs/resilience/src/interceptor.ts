/**
 * One attempt of a remote call. The signal must reach the I/O (fetch, undici, grpc) so that a timeout or a
 * caller that gives up actually stops the work, not only the wait.
 */
export type Call<T> = (signal: AbortSignal) => Promise<T>;

/**
 * A client cross-cut (timeout, retry, breaker, bulkhead, auth header, ...) wrapping the next step of the
 * pipeline, in the shape of undici's `lib/interceptor/*.js`: `(next) => (signal) => ...`.
 */
export type Interceptor = <T>(next: Call<T>) => Call<T>;

/**
 * Chains interceptors into one. The first listed is the outermost: `compose(retry(), breaker, timeout(2000))`
 * retries calls that each pass the breaker and each get their own 2 s deadline.
 */
export function compose(...interceptors: readonly Interceptor[]): Interceptor {
  return <T>(next: Call<T>): Call<T> =>
    interceptors.reduceRight<Call<T>>((inner, interceptor) => interceptor(inner), next);
}

/**
 * Runs `call` through `interceptors` (first listed = outermost). Without a `signal` the call can still be
 * cancelled by the interceptors themselves (a timeout), never by the caller.
 */
export function execute<T>(
  call: Call<T>,
  interceptors: readonly Interceptor[],
  signal: AbortSignal = new AbortController().signal,
): Promise<T> {
  return compose(...interceptors)(call)(signal);
}
