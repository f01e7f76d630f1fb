/** Consul HTTP API shapes the provider reads (PascalCase as Consul sends them; optional where Consul omits). */

/** A check in `/v1/health/service/<name>` or `/v1/agent/checks`. */
export interface ConsulCheck {
  CheckID: string;
  Name?: string;
  /** `passing`, `warning`, `critical` or `maintenance`. */
  Status: string;
  Notes?: string;
  Output?: string;
  ServiceID?: string;
  ServiceName?: string;
  Type?: string;
}

/** A service as the health endpoint (`Service`) or the agent (`/v1/agent/services` values) returns it. */
export interface ConsulService {
  ID: string;
  Service: string;
  Tags?: string[] | null;
  Address?: string;
  Port?: number;
  Meta?: Record<string, string> | null;
}

/** One entry of `/v1/health/service/<name>`. */
export interface ConsulHealthEntry {
  Node?: { Node?: string; Address?: string };
  Service: ConsulService;
  Checks?: ConsulCheck[] | null;
}

/** A check definition as the `consul` package's `agent.service.register` takes it (keys lower-cased). */
export interface ConsulCheckOptions {
  checkid: string;
  name: string;
  notes: string;
  ttl?: string;
  http?: string;
  method?: string;
  interval?: string;
  timeout?: string;
  status?: 'passing' | 'warning' | 'critical';
  deregistercriticalserviceafter: string;
  failuresbeforecritical?: number;
}

/** A service definition as the `consul` package's `agent.service.register` takes it. */
export interface ConsulServiceOptions {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  checks?: ConsulCheckOptions[];
}

/** A blocking query's answer: the body and `X-Consul-Index`. */
export interface BlockingResult<T> {
  body: T;
  /** `X-Consul-Index`, or 0 when the header was missing or not a number. */
  index: number;
}

/** `index`/`wait` of a blocking query; `index` 0 (or absent) answers at once. */
export interface BlockingQuery {
  index?: number;
  waitMs?: number;
  signal?: AbortSignal;
}
