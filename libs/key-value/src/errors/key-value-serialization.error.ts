import { MeshError } from '@toskamesh/common';

/** A value that JSON cannot carry (a function, a symbol, a BigInt, a cycle) or stored bytes that are not JSON. */
export class KeyValueSerializationError extends MeshError {
  constructor(
    readonly key: string,
    problem: string,
    cause?: unknown,
  ) {
    super(
      'MESH_KV_SERIALIZATION',
      `Value of key "${key}" ${problem}; values must be JSON (objects, arrays, strings, numbers, booleans, null)`,
      {
        cause,
        details: { key },
      },
    );
  }
}
