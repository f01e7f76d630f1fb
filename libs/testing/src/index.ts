export { describeRegistryContract } from './registry-contract.suite.js';
export type { RegistryContractCapabilities, RegistryContractSubject } from './registry-contract.types.js';
export { eventually, type EventuallyOptions } from './eventually.js';
export { iteratorEnds, nextChange, nextChangeMatching } from './next-change.js';
export { uniqueName } from './unique-name.js';
export { freePort } from './free-port.js';
export { describeKeyValueContract } from './key-value-contract.suite.js';
export type { KeyValueContractCapabilities, KeyValueContractSubject } from './key-value-contract.types.js';
export { REDIS_URL, deleteKeysUnder, killConnectionsNamed, rawRedis } from './redis-test-keys.js';
