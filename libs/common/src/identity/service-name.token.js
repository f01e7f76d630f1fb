/**
 * DI token of the running service's name, provided by `MeshRuntimeModule` (globally). Libraries inject
 * it optionally to default per-service settings, such as the key/value key prefix, without depending on
 * the runtime. `Symbol.for` keeps it the same token across duplicate installs.
 */
export const MESH_SERVICE_NAME = Symbol.for('toskamesh.service-name');
