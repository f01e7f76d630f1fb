import { afterEach, describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, context, createContextKey, diag, propagation } from '@opentelemetry/api';
import { installPropagation, needsNodeSdk } from './propagation.backend.js';

const OTEL_KEYS = ['OTEL_PROPAGATORS', 'OTEL_SDK_DISABLED', 'OTEL_LOG_LEVEL'] as const;
const saved = Object.fromEntries(OTEL_KEYS.map((key) => [key, process.env[key]]));

function setEnv(values: Partial<Record<(typeof OTEL_KEYS)[number], string>>): void {
  for (const key of OTEL_KEYS) {
    if (values[key] === undefined) delete process.env[key];
    else process.env[key] = values[key];
  }
}

afterEach(() => {
  propagation.disable();
  context.disable();
  diag.disable();
  for (const key of OTEL_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('needsNodeSdk', () => {
  it('is true whenever tracing is enabled', () => {
    setEnv({});
    expect(needsNodeSdk(true)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'tracecontext',
    'baggage, tracecontext',
    'tracecontext,tracecontext',
    'none',
    'b3,none',
  ])('is false with tracing disabled and OTEL_PROPAGATORS=%p', (value) => {
    setEnv({ OTEL_PROPAGATORS: value });
    expect(needsNodeSdk(false)).toBe(false);
  });

  it.each(['b3', 'tracecontext,b3multi', 'xray'])(
    'is true for OTEL_PROPAGATORS=%p, which only the SDK provides or warns about',
    (value) => {
      setEnv({ OTEL_PROPAGATORS: value });
      expect(needsNodeSdk(false)).toBe(true);
    },
  );
});

describe('installPropagation', () => {
  it.each([
    [undefined, ['traceparent', 'tracestate', 'baggage']],
    ['tracecontext', ['traceparent', 'tracestate']],
    ['baggage,tracecontext', ['baggage', 'traceparent', 'tracestate']],
    ['none', []],
    [',', []],
  ])('installs the propagators OTEL_PROPAGATORS=%p names', async (value, fields) => {
    setEnv({ OTEL_PROPAGATORS: value });
    const backend = installPropagation();
    expect(propagation.fields()).toEqual(fields);
    await backend.shutdown();
  });

  it('installs a context manager that carries the context across awaits', async () => {
    setEnv({});
    installPropagation();
    const key = createContextKey('probe');
    const seen = await context.with(ROOT_CONTEXT.setValue(key, 'kept'), async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return context.active().getValue(key);
    });
    expect(seen).toBe('kept');
  });

  it('installs nothing when OTEL_SDK_DISABLED is true, as NodeSDK.start() does', () => {
    setEnv({ OTEL_SDK_DISABLED: 'true' });
    installPropagation();
    expect(propagation.fields()).toEqual([]);
    const key = createContextKey('probe');
    expect(
      context.with(ROOT_CONTEXT.setValue(key, 'kept'), () => context.active().getValue(key)),
    ).toBeUndefined();
  });
});
