#!/usr/bin/env node
import { meshBanner } from './local-mesh/mesh-banner.js';
import { generateMeshSecret, localMeshPlan, meshPorts, PORT_VARIABLES } from './local-mesh/mesh-plan.js';
import { ProcessGroup } from './local-mesh/process-group.js';

const USAGE = `Usage: toska <command>

Commands:
  up      Run the local mesh (discovery + example services) in the foreground; Ctrl-C stops it.

Ports (environment): ${Object.values(PORT_VARIABLES)
  .map(([variable, port]) => `${variable}=${port}`)
  .join(', ')}
`;

async function up(): Promise<number> {
  const ports = meshPorts(process.env);
  const secrets = { serviceAuth: generateMeshSecret(), store: generateMeshSecret() };
  const plan = localMeshPlan(ports, secrets, undefined, process.env.TOSKA_MESH_DATA_DIR);
  const group = new ProcessGroup();
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= group.stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stdout.write(`\n[toska] ${signal}: stopping the mesh\n`);
      void stop().then(() => process.exit(0));
    });
  }
  try {
    await group.start(plan);
  } catch (error) {
    process.stderr.write(
      `[toska] the mesh did not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await stop();
    return 1;
  }
  process.stdout.write(meshBanner(plan, `http://127.0.0.1:${ports.discovery}`));
  await new Promise<void>((resolve) => group.crashSignal.addEventListener('abort', () => resolve()));
  process.stderr.write(`[toska] ${String(group.crashSignal.reason)}; stopping the mesh\n`);
  await stop();
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'up'] = argv;
  if (command === 'up') return up();
  process.stdout.write(USAGE);
  return command === 'help' || command === '--help' || command === '-h' ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2));
