import type { ProcessSpec } from './process-spec.js';

/**
 * Orders processes so each starts after what it depends on (Kahn's algorithm, stable in input order).
 * Throws on an unknown dependency or a cycle, naming the processes involved.
 */
export function startOrder(specs: readonly ProcessSpec[]): ProcessSpec[] {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (const spec of specs) {
    const missing = spec.dependsOn.filter((name) => !byName.has(name));
    if (missing.length)
      throw new Error(`Process "${spec.name}" depends on unknown process(es): ${missing.join(', ')}`);
  }
  const ordered: ProcessSpec[] = [];
  const placed = new Set<string>();
  while (ordered.length < specs.length) {
    const next = specs.find(
      (spec) => !placed.has(spec.name) && spec.dependsOn.every((name) => placed.has(name)),
    );
    if (!next) {
      const stuck = specs.filter((spec) => !placed.has(spec.name)).map((spec) => spec.name);
      throw new Error(`Dependency cycle among processes: ${stuck.join(', ')}`);
    }
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}
