import { Reflector } from '@nestjs/core';

/** What a route does: `read` (reads may be anonymous) or `write` (needs a Service or Admin token). */
export type Access = 'read' | 'write';

/** Marks a controller or route with its {@link Access}; routes without it count as `write`. */
export const RequiresAccess = Reflector.createDecorator<Access>();
