import { MESH_METADATA, type ServiceInstance } from '@toskamesh/common';

/** Largest weight accepted in metadata `weight`; larger values are treated as invalid. */
export const MAX_INSTANCE_WEIGHT = 1_000_000;

/** An instance's weight and, when metadata `weight` was unusable, the raw text that was rejected. */
export interface WeightReading {
  readonly weight: number;
  readonly invalid?: string;
}

/**
 * Reads metadata `weight`: a number from 0 to {@link MAX_INSTANCE_WEIGHT} (`0` drains the instance).
 * Missing or blank means 1; anything else (negative, not a number, too large) also means 1 and is
 * reported in `invalid` so the caller can warn.
 */
export function readWeight(instance: ServiceInstance): WeightReading {
  const raw = instance.metadata[MESH_METADATA.weight];
  if (raw === undefined || raw.trim() === '') return { weight: 1 };
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < 0 || value > MAX_INSTANCE_WEIGHT) return { weight: 1, invalid: raw };
  return { weight: value };
}

/** The weight weighted round-robin gives `instance` (metadata `weight`, default 1, invalid -> 1). */
export function weightOf(instance: ServiceInstance): number {
  return readWeight(instance).weight;
}
