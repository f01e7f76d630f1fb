import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses: `<label>-<8 hex chars>`, valid as a service name and as a Redis key
 * prefix. Give every suite its own so suites can share one backend.
 */
export function uniqueName(label = 'ct'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
