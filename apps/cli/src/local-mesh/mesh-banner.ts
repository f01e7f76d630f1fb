import type { ProcessSpec } from './process-spec.js';

/** The table printed once the mesh is up: every URL, and a curl that resolves a service through discovery. */
export function meshBanner(specs: readonly ProcessSpec[], discoveryUrl: string): string {
  const rows = specs.flatMap((spec) => Object.entries(spec.urls));
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`);
  return [
    '',
    'ToskaMesh local mesh is up:',
    ...lines,
    '',
    'Resolve a service through discovery and call it:',
    `  curl -s ${discoveryUrl}/api/ServiceDiscovery/services/hello-mesh-service/instances/healthy`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
