import { MeshError } from './mesh-error.js';

/** Input (a request body, a registration) broke one or more rules; `errors` lists each broken rule. */
export class MeshValidationError extends MeshError {
  constructor(
    readonly subject: string,
    readonly errors: readonly string[],
  ) {
    super('MESH_COMMON_VALIDATION_FAILED', `Invalid ${subject}: ${errors.join('; ')}`, {
      details: { subject, errors: [...errors] },
    });
  }
}
