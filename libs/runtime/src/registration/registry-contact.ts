import { Injectable } from '@nestjs/common';

/** Outcome of the runtime's latest call to the registry. */
export interface RegistryContactRecord {
  ok: boolean;
  at: Date;
  /** Why it failed, for the health report. */
  error?: string;
}

/**
 * Remembers how the runtime's last registry call went, so the readiness check can report registry
 * reachability from the heartbeats already being sent instead of adding calls of its own.
 */
@Injectable()
export class RegistryContact {
  private record: RegistryContactRecord | undefined;

  get last(): RegistryContactRecord | undefined {
    return this.record;
  }

  succeeded(): void {
    this.record = { ok: true, at: new Date() };
  }

  failed(error: unknown): void {
    this.record = {
      ok: false,
      at: new Date(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
