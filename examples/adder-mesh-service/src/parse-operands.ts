import { MeshValidationError } from '@toskamesh/common';

/** Reads `a` and `b` as finite numbers (query strings or JSON numbers); lists every bad operand. */
export function parseOperands(input: Record<string, unknown>): { a: number; b: number } {
  const problems: string[] = [];
  const read = (name: 'a' | 'b'): number => {
    const raw = input[name];
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value))
      problems.push(`${name} must be a finite number (got ${JSON.stringify(raw ?? null)})`);
    return value;
  };
  const operands = { a: read('a'), b: read('b') };
  if (problems.length) throw new MeshValidationError('operands', problems);
  return operands;
}
