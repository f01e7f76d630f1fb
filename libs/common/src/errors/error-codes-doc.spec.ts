// Every stable error code thrown anywhere in the repository must be listed in docs/reference/errors.md,
// and every code listed there must still exist: a code and its documentation never drift apart.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
// Codes are string literals; identifiers such as MESH_RUNTIME_MODULE_OPTIONS (DI tokens) are not codes.
const CODE =
  /(?<=['"`])MESH_(?:COMMON|TELEMETRY|RESILIENCE|LB|REGISTRY|KV|SECURITY|RUNTIME|STATEFUL|DISCOVERY|GATEWAY|TOSKASTORE|CLI)_[A-Z0-9_]+(?=['"`])/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && path.includes('/src/') ? [path] : [];
  });
}

function codesInCode(): Set<string> {
  const roots = ['libs', 'apps'].map((folder) => join(ROOT, folder));
  return new Set(roots.flatMap(sourceFiles).flatMap((file) => readFileSync(file, 'utf8').match(CODE) ?? []));
}

function codesInDoc(): Set<string> {
  const doc = readFileSync(join(ROOT, 'docs/reference/errors.md'), 'utf8');
  return new Set([...doc.matchAll(/^\|\s*`(MESH_[A-Z0-9_]+)`/gm)].map((match) => match[1]!));
}

describe('docs/reference/errors.md', () => {
  it('lists every error code the code throws', () => {
    const documented = codesInDoc();
    expect([...codesInCode()].filter((code) => !documented.has(code)).sort()).toEqual([]);
  });

  it('lists no code that the code no longer has', () => {
    const inCode = codesInCode();
    expect([...codesInDoc()].filter((code) => !inCode.has(code)).sort()).toEqual([]);
  });
});
