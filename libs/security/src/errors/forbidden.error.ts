import { MeshError } from '@toskamesh/common';

/** What a route demands: any one of `roles`, all of `scopes`. */
export interface AccessRequirement {
  roles?: readonly string[];
  scopes?: readonly string[];
}

/**
 * The caller's token is valid but lacks the role or scope a route requires (HTTP 403, gRPC
 * `PERMISSION_DENIED`). Names the subject and what was missing.
 */
export class ForbiddenError extends MeshError {
  constructor(
    readonly subject: string,
    readonly required: AccessRequirement,
    /** Scopes the caller lacks; empty when the failure is about roles. */
    readonly missingScopes: readonly string[] = [],
  ) {
    super('MESH_SECURITY_FORBIDDEN', `Access denied for "${subject}": ${explain(required, missingScopes)}`, {
      details: {
        subject,
        ...(required.roles ? { requiredRoles: [...required.roles] } : {}),
        ...(required.scopes ? { requiredScopes: [...required.scopes] } : {}),
        ...(missingScopes.length > 0 ? { missingScopes: [...missingScopes] } : {}),
      },
    });
  }
}

function explain(required: AccessRequirement, missingScopes: readonly string[]): string {
  if (missingScopes.length > 0) return `missing scope(s) ${missingScopes.join(', ')}`;
  return `requires one of the roles ${(required.roles ?? []).join(', ')}`;
}
