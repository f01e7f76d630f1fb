import { createRequire } from 'node:module';

/**
 * A loader that `require`s the CommonJS package `id` the first time it is called, resolved from
 * `parentUrl` (the caller's `import.meta.url`, so the caller's own dependency is found), and returns the
 * cached module afterwards.
 *
 * Why: a static `import` loads a package into every process that imports the module, used or not. The
 * registry's providers (consul, gRPC + protobufjs, ioredis, undici) cost the gateway ~17 MB of RSS and
 * a few hundred milliseconds of start-up when it only ever talks HTTP to one of them. `require` keeps
 * the first use synchronous (constructors stay constructors); pair it with `import type` for the types.
 */
export function deferredRequire<T>(parentUrl: string | URL, id: string): () => T {
  let loaded: T | undefined;
  let requireFromParent: NodeJS.Require | undefined;
  return () => {
    if (loaded === undefined) {
      requireFromParent ??= createRequire(parentUrl);
      loaded = requireFromParent(id) as T;
    }
    return loaded;
  };
}
