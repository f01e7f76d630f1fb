/**
 * Lua scripts of the Redis registry. Every change runs in one script so it is atomic across all
 * processes sharing the Redis, bumps the global index and publishes its event in index order.
 *
 * Layout under prefix `p` (ARGV[1]):
 * - `p:instance:<id>`  hash: name, base (JSON of fixed fields), status, metadata (JSON), heartbeat
 *   (epoch ms or ''), ttl (ms), rev (index of the instance's last change; the metadata CAS token)
 * - `p:service:<name>` sorted set of ids scored by expiry (server epoch ms)
 * - `p:expiry`          sorted set of every id scored by expiry: what the sweep scans
 * - `p:services`        set of names with at least one member
 * - `p:index`           change counter;  `p:events` pub/sub channel of JSON events
 * Expiry uses the Redis server clock (TIME) so processes with skewed clocks agree.
 */
const PRELUDE = `
local p = ARGV[1]
local function nowms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ikey(id) return p .. ':instance:' .. id end
local function skey(name) return p .. ':service:' .. name end
local function read(id)
  local f = redis.call('HMGET', ikey(id), 'name', 'base', 'status', 'metadata', 'heartbeat', 'ttl', 'rev')
  if not f[1] then return nil end
  return f
end
local function publish(kind, f, reason)
  local idx = redis.call('INCR', p .. ':index')
  redis.call('PUBLISH', p .. ':events', cjson.encode({ index = tostring(idx), type = kind,
    reason = reason or '', base = f[2], status = f[3], metadata = f[4], heartbeat = f[5] }))
  return idx
end
local function remove(id, reason)
  redis.call('ZREM', p .. ':expiry', id)
  local f = read(id)
  if not f then return 0 end
  redis.call('DEL', ikey(id))
  redis.call('ZREM', skey(f[1]), id)
  if redis.call('ZCARD', skey(f[1])) == 0 then redis.call('SREM', p .. ':services', f[1]) end
  return publish('deregister', f, reason)
end
local function lapsed(id, now)
  local score = redis.call('ZSCORE', p .. ':expiry', id)
  return (not score) or tonumber(score) <= now
end
local function alive(id, now)
  if lapsed(id, now) then
    remove(id, 'expired')
    return nil
  end
  return read(id)
end
local function renew(f, id, exp)
  redis.call('ZADD', skey(f[1]), exp, id)
  redis.call('ZADD', p .. ':expiry', exp, id)
end
`;

/** ARGV: prefix, id, name, base, status, metadata, ttl. Returns the change index. */
export const REGISTER_LUA = `${PRELUDE}
local id, name, now = ARGV[2], ARGV[3], nowms()
local old = redis.call('HGET', ikey(id), 'name')
if old then
  if lapsed(id, now) then remove(id, 'expired')
  elseif old ~= name then remove(id, 'deregistered') end
end
redis.call('DEL', ikey(id))
redis.call('HSET', ikey(id), 'name', name, 'base', ARGV[4], 'status', ARGV[5], 'metadata', ARGV[6],
  'heartbeat', '', 'ttl', ARGV[7], 'rev', '0')
local f = read(id)
renew(f, id, now + tonumber(ARGV[7]))
redis.call('SADD', p .. ':services', name)
local idx = publish('register', f, nil)
redis.call('HSET', ikey(id), 'rev', idx)
return idx
`;

/** ARGV: prefix, id. Returns 1 when removed, 0 when unknown or already lapsed. */
export const DEREGISTER_LUA = `${PRELUDE}
local id = ARGV[2]
if not alive(id, nowms()) then return 0 end
remove(id, 'deregistered')
return 1
`;

/** ARGV: prefix, id, status ('' keeps it), heartbeat time (epoch ms). Returns -1 when not registered. */
export const HEARTBEAT_LUA = `${PRELUDE}
local id, now = ARGV[2], nowms()
local f = alive(id, now)
if not f then return -1 end
renew(f, id, now + tonumber(f[6]))
redis.call('HSET', ikey(id), 'heartbeat', ARGV[4])
if ARGV[3] ~= '' and ARGV[3] ~= f[3] then
  redis.call('HSET', ikey(id), 'status', ARGV[3])
  local idx = publish('health', read(id), nil)
  redis.call('HSET', ikey(id), 'rev', idx)
  return idx
end
return 0
`;

/** ARGV: prefix, id, expected rev, metadata JSON. Returns the index, -1 not registered, -2 rev moved. */
export const UPDATE_METADATA_LUA = `${PRELUDE}
local id = ARGV[2]
local f = alive(id, nowms())
if not f then return -1 end
if f[7] ~= ARGV[3] then return -2 end
redis.call('HSET', ikey(id), 'metadata', ARGV[4])
local idx = publish('metadata', read(id), nil)
redis.call('HSET', ikey(id), 'rev', idx)
return idx
`;

/** ARGV: prefix, batch size. Removes and announces lapsed instances; returns how many. */
export const SWEEP_LUA = `${PRELUDE}
local ids = redis.call('ZRANGEBYSCORE', p .. ':expiry', '-inf', nowms(), 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do remove(id, 'expired') end
return #ids
`;

/** ARGV: prefix, id. Returns the record fields of a live instance, or nil. */
export const INSTANCE_LUA = `${PRELUDE}
if lapsed(ARGV[2], nowms()) then return nil end
return read(ARGV[2])
`;

/** ARGV: prefix, service name ('' = all). Returns { index, record... } of live instances, atomically. */
export const SNAPSHOT_LUA = `${PRELUDE}
local now = nowms()
local out = { redis.call('GET', p .. ':index') or '0' }
local key = p .. ':expiry'
if ARGV[2] ~= '' then key = skey(ARGV[2]) end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. now, '+inf')) do
  local f = read(id)
  if f then out[#out + 1] = f end
end
return out
`;

/** ARGV: prefix. Names of services with a live instance. */
export const SERVICES_LUA = `${PRELUDE}
local now, out = nowms(), {}
for _, name in ipairs(redis.call('SMEMBERS', p .. ':services')) do
  if redis.call('ZCOUNT', skey(name), '(' .. now, '+inf') > 0 then out[#out + 1] = name end
end
return out
`;
