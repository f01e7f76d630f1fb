/** What the CLI talks to; `main.ts` binds it to the process, tests to buffers. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Environment (`TOSKA_*`, `TOSKA_CONFIG_DIR`). */
  env: Record<string, string | undefined>;
  /** Asks a yes/no question; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /** Resolves with the signal name once the process is asked to stop (SIGINT/SIGTERM). */
  stopRequested(): Promise<string>;
}

/** Exit codes: 0 success, 1 failure (unreachable server, bad config), 2 bad command line. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
