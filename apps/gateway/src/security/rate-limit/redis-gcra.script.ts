/**
 * GCRA (see gcra.ts) as one atomic Redis script, so every gateway replica reads and writes a client's
 * TAT in a single step and all use Redis's clock (`TIME`), not their own possibly skewed ones.
 *
 * KEYS[1] the client's key; ARGV[1] emission interval (ms, may be fractional); ARGV[2] window (ms).
 * Returns `{allowed (0|1), remaining, resetMs, retryAfterMs}`; the last two as strings because Redis
 * truncates Lua numbers to integers on the way out. The key expires when the TAT passes, which is
 * the moment the client is back to its full quota, so Redis holds only active clients.
 */
export const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local nextTat = tat + interval
if nextTat - now > window + 0.000001 then
  return {0, 0, tostring(tat - now), tostring(nextTat - window - now)}
end
redis.call('SET', KEYS[1], string.format('%.17g', nextTat), 'PX', math.max(1, math.ceil(nextTat - now)))
local remaining = math.floor((window - (nextTat - now)) / interval + 0.000001)
return {1, remaining, tostring(nextTat - now), '0'}
`;

/** What the script answers, as ioredis hands it over. */
export type GcraReply = [allowed: number, remaining: number, resetMs: string, retryAfterMs: string];
