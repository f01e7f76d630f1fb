/** DI token of the {@link ResolvedMeshRuntimeOptions} (defaults, env and validation applied). */
export const RESOLVED_RUNTIME_OPTIONS = Symbol.for('toskamesh.runtime.resolved-options');
