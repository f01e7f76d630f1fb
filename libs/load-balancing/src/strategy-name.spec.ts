import { describe, expect, it } from '@jest/globals';
import { instance } from '../test/fixtures/instance.fixture.js';
import { parseStrategyName, strategyFromMetadata, voteStrategy } from './strategy-name.js';

const declaring = (id: string, strategy?: string) =>
  instance(id, { metadata: strategy === undefined ? {} : { lb_strategy: strategy } });

describe(parseStrategyName.name, () => {
  it('reads names case-insensitively, ignoring separators, and the .NET IPHash', () => {
    expect(parseStrategyName('leastconnections')).toBe('LeastConnections');
    expect(parseStrategyName('Weighted_Round_Robin')).toBe('WeightedRoundRobin');
    expect(parseStrategyName('IPHash')).toBe('ConsistentHash');
    expect(parseStrategyName('power-of-two-choices')).toBe('PowerOfTwoChoices');
  });

  it('returns undefined for unknown names and non-strings', () => {
    expect(parseStrategyName('sticky')).toBeUndefined();
    expect(parseStrategyName('toString')).toBeUndefined();
    expect(parseStrategyName(42 as unknown as string)).toBeUndefined();
  });
});

describe(strategyFromMetadata.name, () => {
  it('defaults to PowerOfTwoChoices when no instance declares a strategy', () => {
    expect(strategyFromMetadata([declaring('a'), declaring('b', ' ')])).toBe('PowerOfTwoChoices');
    expect(strategyFromMetadata([])).toBe('PowerOfTwoChoices');
  });

  it('uses the given fallback', () => {
    expect(strategyFromMetadata([declaring('a')], 'RoundRobin')).toBe('RoundRobin');
  });

  // The .NET gateway ignored lb_strategy entirely; its router read it but never used Random.
  it('honours a declared strategy, including Random', () => {
    expect(strategyFromMetadata([declaring('a'), declaring('b', 'random')])).toBe('Random');
  });

  it('takes the majority, not the first instance', () => {
    const list = [
      declaring('a', 'RoundRobin'),
      declaring('b', 'LeastConnections'),
      declaring('c', 'leastconnections'),
    ];
    expect(strategyFromMetadata(list)).toBe('LeastConnections');
  });

  it('breaks a tie in favour of the first declared', () => {
    const list = [declaring('a', 'IPHash'), declaring('b', 'Random')];
    expect(strategyFromMetadata(list)).toBe('ConsistentHash');
  });

  it('ignores unknown values and reports them', () => {
    const list = [declaring('a', 'fastest'), declaring('b', 'RoundRobin'), declaring('c', 'fastest')];
    expect(strategyFromMetadata(list)).toBe('RoundRobin');
    expect(voteStrategy(list).unknown).toEqual(['fastest']);
  });
});
