import { type CustomDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/** Metadata read by `MeshAuthGuard`; use {@link Scopes} to set it. */
export const ScopesMetadata = Reflector.createDecorator<readonly string[]>({
  key: 'toskamesh:security:scopes',
});

/**
 * Requires the caller to hold ALL of `scopes` (from the `scope`/`scp` claims; 403 otherwise). On a
 * method it replaces the controller's `@Scopes`.
 */
export function Scopes(...scopes: string[]): CustomDecorator {
  return ScopesMetadata(scopes);
}
