import { type CustomDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/** Metadata read by `MeshAuthGuard`; use {@link Roles} to set it. */
export const RolesMetadata = Reflector.createDecorator<readonly string[]>({
  key: 'toskamesh:security:roles',
});

/**
 * Requires the caller to hold ANY of `roles` (403 otherwise). On a method it replaces the
 * controller's `@Roles`, it does not add to them.
 */
export function Roles(...roles: string[]): CustomDecorator {
  return RolesMetadata(roles);
}
