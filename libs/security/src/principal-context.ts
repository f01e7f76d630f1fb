import type { ExecutionContext } from '@nestjs/common';
import type { MeshPrincipal } from './mesh-principal.js';

/** Property under which RPC contexts carry the principal (HTTP uses `req.user`, as passport does). */
const RPC_PRINCIPAL = Symbol.for('toskamesh.security.principal');

type Holder = Record<PropertyKey, unknown>;

/** Stores the principal where {@link principalOf} and `@CurrentPrincipal()` find it. */
export function attachPrincipal(context: ExecutionContext, principal: MeshPrincipal): void {
  const holder = holderOf(context);
  if (!holder) return;
  if (context.getType() === 'http') holder.user = principal;
  else holder[RPC_PRINCIPAL] = principal;
}

/** The principal the guard attached to this request or call, if any. */
export function principalOf(context: ExecutionContext): MeshPrincipal | undefined {
  const holder = holderOf(context);
  const value = context.getType() === 'http' ? holder?.user : holder?.[RPC_PRINCIPAL];
  return isPrincipal(value) ? value : undefined;
}

function holderOf(context: ExecutionContext): Holder | undefined {
  const holder: unknown =
    context.getType() === 'http' ? context.switchToHttp().getRequest() : context.switchToRpc().getContext();
  return typeof holder === 'object' && holder !== null ? (holder as Holder) : undefined;
}

function isPrincipal(value: unknown): value is MeshPrincipal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MeshPrincipal).subject === 'string' &&
    Array.isArray((value as MeshPrincipal).roles)
  );
}
