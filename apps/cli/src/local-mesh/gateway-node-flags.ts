import { readFileSync } from 'node:fs';

/**
 * The Node/V8 flags the gateway runs with, from `apps/gateway/node-flags.json` (one list for every
 * launcher: the package's start script, `toska up`, bench/gateway; docs/gateway.md "Memory").
 */
export function readGatewayNodeFlags(root: string): string[] {
  const file = `${root}/apps/gateway/node-flags.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the gateway's Node flags from ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const flags = (parsed as { flags?: unknown }).flags;
  if (!Array.isArray(flags) || !flags.every((entry) => typeof entry?.flag === 'string')) {
    throw new Error(`${file} must hold { "flags": [{ "flag": "--...", "why": "..." }] }`);
  }
  return flags.map((entry: { flag: string }) => entry.flag);
}
