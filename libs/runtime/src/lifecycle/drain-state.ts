import { Injectable } from '@nestjs/common';

/**
 * Whether the service is shutting down. Once draining, `/health/ready` answers 503 and heartbeats report
 * Unhealthy, so load balancers stop sending new work while in-flight requests finish.
 */
@Injectable()
export class DrainState {
  private startedAt: Date | undefined;

  get draining(): boolean {
    return this.startedAt !== undefined;
  }

  /** When draining began, or `undefined`. */
  get since(): Date | undefined {
    return this.startedAt;
  }

  /** Starts draining; later calls keep the first time. */
  begin(): void {
    this.startedAt ??= new Date();
  }
}
