import { MeshValidationError } from '@toskamesh/common';

/** Validates a POST /todos body: `title` a non-empty string, `completed` a boolean, `id` an optional id. */
export function parseTodo(body: unknown): { id?: string; title: string; completed: boolean } {
  const problems: string[] = [];
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof input.title !== 'string' || input.title.trim() === '')
    problems.push('title must be a non-empty string');
  if (input.completed !== undefined && typeof input.completed !== 'boolean')
    problems.push('completed must be true or false');
  if (input.id !== undefined && (typeof input.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(input.id))) {
    problems.push('id must be 1-64 characters of [A-Za-z0-9_-]');
  }
  if (problems.length) throw new MeshValidationError('todo', problems);
  return {
    ...(typeof input.id === 'string' ? { id: input.id } : {}),
    title: (input.title as string).trim(),
    completed: input.completed === true,
  };
}
