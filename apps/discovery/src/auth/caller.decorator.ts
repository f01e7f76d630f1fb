import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { principalOf } from './discovery-auth.guard.js';

/** Injects the caller {@link DiscoveryAuthGuard} authenticated. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  principalOf(context.switchToHttp().getRequest<IncomingMessage>()),
);
