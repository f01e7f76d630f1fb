/** One process of the local mesh. */
export interface ProcessSpec {
  /** Short name used as the log prefix (`discovery`). */
  name: string;
  /** Executable and arguments; `node` processes use `process.execPath` so they run on the pinned Node. */
  command: string;
  args: string[];
  /** Added to the launcher's own environment. */
  env: Record<string, string>;
  /** URL polled until it answers 2xx before dependants start. */
  readyUrl: string;
  /** Names of processes that must be ready first. */
  dependsOn: string[];
  /** URLs printed once the mesh is up (label -> URL). */
  urls: Record<string, string>;
}
