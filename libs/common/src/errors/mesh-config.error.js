import { MeshError } from './mesh-error.js';
/**
 * A configuration value is missing or not allowed. Thrown at start-up so an app never runs half
 * configured; the message names the key, shows the value and says what is allowed.
 */
export class MeshConfigError extends MeshError {
    constructor(key, problem, options = {}) {
        const shown = 'value' in options ? ` (got ${formatValue(options.value)})` : '';
        const allowed = options.allowed ? ` Allowed: ${options.allowed}.` : '';
        super('MESH_COMMON_CONFIG_INVALID', `Configuration "${key}" ${problem}${shown}.${allowed}`, {
            cause: options.cause,
            details: { key, ...(options.allowed ? { allowed: options.allowed } : {}) },
        });
        this.key = key;
    }
}
function formatValue(value) {
    if (typeof value === 'string')
        return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    try {
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        return String(value);
    }
}
