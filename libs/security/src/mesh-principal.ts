import type { JWTPayload } from 'jose';

/** Claim URIs written by .NET `JwtSecurityToken` (the original's tokens), read for interop. */
export const DOTNET_CLAIMS = {
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  nameIdentifier: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
} as const;

/** Who called: the verified content of a mesh token. Attached to `req.user` by the guard. */
export interface MeshPrincipal {
  /** `sub` (or the .NET `nameidentifier` claim). */
  subject: string;
  /** `service_name` (or the .NET `name` claim) for service tokens. */
  serviceName?: string;
  /** `service_id` for service tokens. */
  serviceId?: string;
  /** Union of `roles`, `role` and the .NET role claim, without duplicates. */
  roles: string[];
  /** From `scope` (space-separated) or `scp` (string or array). */
  scopes: string[];
  /** The whole verified payload. */
  claims: JWTPayload;
}

/** True when the principal holds at least one of `roles` (an empty list always passes). */
export function hasAnyRole(principal: MeshPrincipal, roles: readonly string[]): boolean {
  return roles.length === 0 || roles.some((role) => principal.roles.includes(role));
}

/** The scopes of `required` the principal lacks. */
export function missingScopes(principal: MeshPrincipal, required: readonly string[]): string[] {
  return required.filter((scope) => !principal.scopes.includes(scope));
}

/**
 * Builds a principal from a verified payload, or `undefined` when it names no subject. Roles are
 * read from every claim name the .NET original and its clients use.
 */
export function principalFromClaims(claims: JWTPayload): MeshPrincipal | undefined {
  const subject = firstString(claims.sub, claims[DOTNET_CLAIMS.nameIdentifier], claims.service_id);
  if (subject === undefined) return undefined;
  const serviceName = firstString(claims.service_name, claims[DOTNET_CLAIMS.name]);
  const serviceId = firstString(claims.service_id);
  const roles = unique([
    ...stringList(claims.roles),
    ...stringList(claims.role),
    ...stringList(claims[DOTNET_CLAIMS.role]),
  ]);
  const scopes = unique(
    typeof claims.scope === 'string'
      ? splitScopes(claims.scope)
      : stringList(claims.scp).flatMap(splitScopes),
  );
  return {
    subject,
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...(serviceId !== undefined ? { serviceId } : {}),
    roles,
    scopes,
    claims,
  };
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value !== '');
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value))
    return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

function splitScopes(value: string): string[] {
  return value.split(/\s+/).filter((scope) => scope !== '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
