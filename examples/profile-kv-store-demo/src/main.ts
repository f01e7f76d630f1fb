import { MeshServiceHost } from '@toskamesh/runtime';
import { PROFILE_SERVICE_NAME, ProfileModule } from './profile.module.js';

// The original demo's port; `Mesh__Service__*` and `Mesh__KeyValue__*` variables configure the rest.
await MeshServiceHost.run(ProfileModule.register(), {
  service: { name: PROFILE_SERVICE_NAME, port: 8084 },
});
