import { MeshServiceHost } from '@toskamesh/runtime';
import { AdderModule } from './adder.module.js';

// Name and default port (the original's 8083) in code; `Mesh__Service__*` variables override them.
await MeshServiceHost.run(AdderModule, { service: { name: 'adder-mesh-service', port: 8083 } });
