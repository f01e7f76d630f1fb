import { type DynamicModule, Module } from '@nestjs/common';
import { KeyValueModule, keyValueOptionsFromEnv, type KeyValueModuleOptions } from '@toskamesh/key-value';
import { ProfileRepository } from './profiles/profile.repository.js';
import { ProfilesController } from './profiles/profiles.controller.js';

/** The demo's service name (the .NET original's), also the default key prefix of its store. */
export const PROFILE_SERVICE_NAME = 'profile-kv-store-demo';

/**
 * The store options of the demo: the `Mesh__KeyValue__*` variables of the .NET original, with the key
 * prefix defaulting to {@link PROFILE_SERVICE_NAME}. `keyValueOptionsFromEnv` takes the prefix from
 * `Mesh__Service__ServiceName` when that is set; without it (a plain `node dist/main.js`) the service name
 * given in code must still apply, or profiles would be stored unprefixed, colliding with other services.
 */
export function profileStoreOptions(env: Record<string, string | undefined>): KeyValueModuleOptions {
  return { keyPrefix: PROFILE_SERVICE_NAME, ...keyValueOptionsFromEnv(env) };
}

/**
 * The demo's code. Which store holds the profiles is configuration only — `Mesh__KeyValue__Provider` =
 * `ToskaStore` | `Redis` | `Memory` with the .NET original's keys; the mesh runtime is added by
 * `MeshServiceHost`.
 */
@Module({})
export class ProfileModule {
  /** The demo with the store `options` (default: {@link profileStoreOptions} of `process.env`). */
  static register(options: KeyValueModuleOptions = profileStoreOptions(process.env)): DynamicModule {
    return {
      module: ProfileModule,
      imports: [KeyValueModule.forRoot(options)],
      controllers: [ProfilesController],
      providers: [ProfileRepository],
    };
  }
}
