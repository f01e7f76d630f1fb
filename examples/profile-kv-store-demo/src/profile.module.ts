import { type DynamicModule, Module } from '@nestjs/common';
import { KeyValueModule, keyValueOptionsFromEnv, type KeyValueModuleOptions } from '@toskamesh/key-value';
import { ProfileRepository } from './profiles/profile.repository.js';
import { ProfilesController } from './profiles/profiles.controller.js';

/**
 * The demo's code. Which store holds the profiles is configuration only — `Mesh__KeyValue__Provider` =
 * `ToskaStore` | `Redis` | `Memory` with the .NET original's keys; the mesh runtime is added by
 * `MeshServiceHost`.
 */
@Module({})
export class ProfileModule {
  /** The demo with the store `options` (default: read from `Mesh__KeyValue__*` variables). */
  static register(options: KeyValueModuleOptions = keyValueOptionsFromEnv(process.env)): DynamicModule {
    return {
      module: ProfileModule,
      imports: [KeyValueModule.forRoot(options)],
      controllers: [ProfilesController],
      providers: [ProfileRepository],
    };
  }
}
