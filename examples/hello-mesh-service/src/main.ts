import { MeshServiceHost } from '@toskamesh/runtime';
import { HelloModule } from './hello.module.js';

// Name and default port in code; `Mesh__Service__*` variables override them per deployment.
await MeshServiceHost.run(HelloModule, { service: { name: 'hello-mesh-service', port: 8080 } });
