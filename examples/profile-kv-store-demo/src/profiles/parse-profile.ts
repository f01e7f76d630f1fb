import { MeshValidationError } from '@toskamesh/common';
import type { ProfileInput } from './profile.js';

const LIMITS = { displayName: 100, email: 254, bio: 2000, tags: 20, tag: 40 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates a `PUT /profiles/:id` body: `displayName` required; `email`, `bio`, `tags` optional. Strings
 * are trimmed (blank optional fields become null) and tags de-duplicated case-insensitively, keeping the
 * first spelling, as the original demo did. Lists every broken rule.
 */
export function parseProfileInput(body: unknown): ProfileInput {
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const problems: string[] = [];
  const displayName = optionalText(input, 'displayName', LIMITS.displayName, problems);
  if (displayName === null && !problems.some((p) => p.startsWith('displayName')))
    problems.push('displayName is required');
  const email = optionalText(input, 'email', LIMITS.email, problems);
  if (email !== null && !EMAIL.test(email))
    problems.push(`email must be an email address (got ${JSON.stringify(email)})`);
  const bio = optionalText(input, 'bio', LIMITS.bio, problems);
  const tags = parseTags(input.tags, problems);
  if (problems.length) throw new MeshValidationError('profile', problems);
  return { displayName: displayName!, email, bio, tags };
}

/** Validates a profile id taken from the path: 1-64 characters of [A-Za-z0-9_-]. */
export function parseProfileId(raw: string): string {
  const id = raw.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new MeshValidationError('profile id', [
      `id must be 1-64 characters of [A-Za-z0-9_-] (got ${JSON.stringify(raw)})`,
    ]);
  }
  return id;
}

function optionalText(
  input: Record<string, unknown>,
  field: string,
  max: number,
  problems: string[],
): string | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string`);
    return null;
  }
  const text = value.trim();
  if (text.length > max) problems.push(`${field} must be at most ${max} characters`);
  return text === '' ? null : text;
}

function parseTags(value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string')) {
    problems.push('tags must be an array of strings');
    return [];
  }
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const tag of (value as string[]).map((t) => t.trim()).filter(Boolean)) {
    if (tag.length > LIMITS.tag)
      problems.push(`tag ${JSON.stringify(tag)} is longer than ${LIMITS.tag} characters`);
    if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  if (tags.length > LIMITS.tags) problems.push(`at most ${LIMITS.tags} tags are allowed`);
  return tags;
}
