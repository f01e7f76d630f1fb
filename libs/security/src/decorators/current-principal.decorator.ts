import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MeshPrincipal } from '../mesh-principal.js';
import { principalOf } from '../principal-context.js';

/**
 * Injects the verified {@link MeshPrincipal} (or one of its fields: `@CurrentPrincipal('serviceName')`)
 * into a handler. `undefined` on `@Public()` routes and when no guard ran.
 */
export const CurrentPrincipal = createParamDecorator(
  (field: keyof MeshPrincipal | undefined, context: ExecutionContext): unknown => {
    const principal = principalOf(context);
    return field === undefined ? principal : principal?.[field];
  },
);
