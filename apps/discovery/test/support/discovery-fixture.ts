import { randomBytes } from 'node:crypto';
import { MeshTokenService } from '@toskamesh/security';
import { createDiscoveryApp, type DiscoveryApp, type DiscoveryAppOptions } from '../../src/index.js';

/** A shared secret for the tests' tokens (fresh per run, long enough for the policy). */
export const TEST_SECRET = randomBytes(36).toString('base64url');

/** Issues tokens the app under test accepts. */
export const tokens = new MeshTokenService({ secret: TEST_SECRET });

/** A `Service` token for `serviceName`. */
export function serviceToken(serviceName: string, roles: string[] = ['Service']): Promise<string> {
  return tokens.issue({
    subject: `${serviceName}-test`,
    serviceName,
    serviceId: `${serviceName}-test`,
    roles,
  });
}

/** An `Admin` token not bound to any service. */
export function adminToken(): Promise<string> {
  return tokens.issue({ subject: 'operator', roles: ['Admin'] });
}

/** Starts the app on ephemeral ports of 127.0.0.1 with auth on and a silent logger. */
export function startDiscovery(options: DiscoveryAppOptions = {}): Promise<DiscoveryApp> {
  return createDiscoveryApp(
    {
      port: 0,
      grpcPort: 0,
      host: '127.0.0.1',
      ...options,
      auth: { secret: TEST_SECRET, ...options.auth },
    },
    { logger: false },
  );
}

/** A JSON answer with its status and content type. */
export interface JsonReply<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
  headers: Headers;
}

/** Sends a JSON request (5 s limit) and reads the JSON answer. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : null) as T,
    headers: response.headers,
  };
}

/** A registration body as the .NET clients send it. */
export function registrationBody(
  serviceName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { serviceName, address: '10.1.2.3', port: 8080, metadata: { version: '1' }, ...extra };
}
