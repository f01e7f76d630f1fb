import { type CustomDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/** Metadata read by `MeshAuthGuard`; use {@link Public} to set it. */
export const PublicMetadata = Reflector.createDecorator<boolean>({ key: 'toskamesh:security:public' });

/**
 * Lets a route (or every route of a controller) through `MeshAuthGuard` without a token, e.g. health
 * checks and metrics. A method-level `@Public()` wins over the controller's requirements.
 */
export function Public(): CustomDecorator {
  return PublicMetadata(true);
}
