// Watchdog process of a ChildGroup: it holds the process-group ids of the benchmark's children and,
// when its IPC channel to the benchmark closes — even because the benchmark was SIGKILLed and could run
// no exit handler — SIGKILLs those groups and exits. Messages: `{ add: pid }`, `{ remove: pid }`.
const groups = new Set();

process.on('message', (message) => {
  if (typeof message?.add === 'number') groups.add(message.add);
  if (typeof message?.remove === 'number') groups.delete(message.remove);
});
process.on('disconnect', () => {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  process.exit(0);
});
// A terminal's Ctrl-C is the benchmark's to handle; the reaper only acts when the channel closes.
process.on('SIGINT', () => {});
