import { MeshServiceHost } from '@toskamesh/runtime';
import { ProfileModule } from './profile.module.js';

// The original demo's port; `Mesh__Service__*` and `Mesh__KeyValue__*` variables configure the rest.
await MeshServiceHost.run(ProfileModule.register(), {
  service: { name: 'profile-kv-store-demo', port: 8084 },
});
