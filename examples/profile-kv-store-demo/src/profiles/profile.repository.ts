import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@toskamesh/key-value';
import type { Profile } from './profile.js';

const KEY_PREFIX = 'profile:';

/** Profiles in the mesh key/value store under `profile:<id>` (the store adds its own service prefix). */
@Injectable()
export class ProfileRepository {
  constructor(private readonly store: KeyValueStore) {}

  find(id: string): Promise<Profile | undefined> {
    return this.store.get<Profile>(`${KEY_PREFIX}${id}`);
  }

  save(profile: Profile): Promise<void> {
    return this.store.set(`${KEY_PREFIX}${profile.id}`, profile);
  }

  async remove(id: string): Promise<void> {
    await this.store.delete(`${KEY_PREFIX}${id}`);
  }

  /** Up to `limit` profiles, in key order. */
  async list(limit: number): Promise<Profile[]> {
    const keys = await this.store.keys(KEY_PREFIX, { limit });
    const found = await this.store.getMany<Profile>(keys);
    return keys.flatMap((key) => (found.has(key) ? [found.get(key)!] : []));
  }
}
