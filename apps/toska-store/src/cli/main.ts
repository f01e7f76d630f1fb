#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { runCli } from './cli.js';
import type { CliIo } from './cli-io.js';

/** Once stopping, a process still alive after this long (a stuck socket) is ended anyway. */
const EXIT_GRACE_MS = 15_000;

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  confirm: process.stdin.isTTY
    ? async (question) => {
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        try {
          return /^y(es)?$/i.test((await prompt.question(`${question} (y/N) `)).trim());
        } finally {
          prompt.close();
        }
      }
    : undefined,
  // Handlers are installed only when a command waits for them, so Ctrl-C still kills `status` at once.
  // The first signal removes them, restoring the default action: a second signal kills a hung stop.
  stopRequested: () =>
    new Promise((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
        resolve(signal);
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    }),
};

const code = await runCli(process.argv.slice(2), io);
process.exitCode = code;
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
