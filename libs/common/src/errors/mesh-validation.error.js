import { MeshError } from './mesh-error.js';
/** Input (a request body, a registration) broke one or more rules; `errors` lists each broken rule. */
export class MeshValidationError extends MeshError {
    constructor(subject, errors) {
        super('MESH_COMMON_VALIDATION_FAILED', `Invalid ${subject}: ${errors.join('; ')}`, {
            details: { subject, errors: [...errors] },
        });
        this.subject = subject;
        this.errors = errors;
    }
}
