import { fileURLToPath } from 'node:url';

/** Absolute path of `discovery.proto` (package `toskamesh.discovery`), shipped in this package's `proto/` folder. */
export const DISCOVERY_PROTO_PATH = fileURLToPath(new URL('../proto/discovery.proto', import.meta.url));
