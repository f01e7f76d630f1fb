import { Inject, Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';

/** How long after the listener starts `/status` says `starting` and `/health` answers 503 (upstream). */
export const STARTING_PERIOD_MS = 500;

/** `status` of `/status`: `starting`/`running` while listening, `stopped` before and after. */
export type ServerStatusName = 'starting' | 'running' | 'stopped';

/** The body of `GET /status` (contract §4). */
export interface ServerStatusBody {
  config: { daemon: boolean; env: string; host: string; port: number } | null;
  node: string;
  pid: string;
  status: ServerStatusName;
  uptime: number | null;
}

/** The server's lifecycle as `/status`, `/health` and `/` report it. */
@Injectable()
export class ServerState {
  private listeningSince: number | undefined;
  private port: number;

  constructor(@Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions) {
    this.port = options.port;
  }

  /** Called once the listener is bound; `port` is the actual port (port 0 picks one). */
  markListening(port: number): void {
    this.port = port;
    this.listeningSince = performance.now();
  }

  markStopped(): void {
    this.listeningSince = undefined;
  }

  /** Milliseconds since the listener started, or `null` when it is not listening. */
  uptimeMs(): number | null {
    return this.listeningSince === undefined ? null : Math.floor(performance.now() - this.listeningSince);
  }

  statusName(): ServerStatusName {
    const uptime = this.uptimeMs();
    if (uptime === null) return 'stopped';
    return uptime < STARTING_PERIOD_MS ? 'starting' : 'running';
  }

  /** The `/status` body. `pid` is the OS pid (upstream showed an Erlang pid such as `#PID<0.456.0>`). */
  statusBody(): ServerStatusBody {
    const status = this.statusName();
    const { host, env, daemon } = this.options;
    return {
      config: status === 'stopped' ? null : { daemon, env, host, port: this.port },
      node: `toska@${hostname()}`,
      pid: String(process.pid),
      status,
      uptime: this.uptimeMs(),
    };
  }
}
