import { MeshConfigError } from '@toskamesh/common';

/** Shortest accepted HS256 secret, as enforced by the .NET original. */
export const MIN_SECRET_LENGTH = 32;

/** The key named in secret errors: the variable operators actually set. */
export const SECRET_KEY = 'MESH_SERVICE_AUTH_SECRET';

const HOW_TO_FIX =
  `at least ${MIN_SECRET_LENGTH} random characters: set ${SECRET_KEY} (or serviceAuth.secret), ` +
  'e.g. to the output of `openssl rand -base64 48`';

/**
 * Why a secret is unusable, or `undefined` when it is fine. Placeholders are refused even when long
 * enough: the original shipped `super-secret-mesh-key-change-me` in its manifests, and a longer
 * variant of it would otherwise slip through.
 */
export function secretProblem(secret: string | undefined): string | undefined {
  if (secret === undefined || secret.trim() === '') return 'is missing';
  const lowered = secret.toLowerCase();
  if (lowered.includes('change-me') || lowered.includes('changeme')) {
    return 'is a placeholder ("change-me")';
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return `is too short (${secret.length} characters)`;
  }
  return undefined;
}

/** Throws a {@link MeshConfigError} saying how to fix an unusable secret; never shows the secret. */
export function assertUsableSecret(secret: string | undefined): asserts secret is string {
  const problem = secretProblem(secret);
  if (problem !== undefined) throw new MeshConfigError(SECRET_KEY, problem, { allowed: HOW_TO_FIX });
}
