-- wrk script for toska-store: GET or PUT /kv/k<n> over KEYS keys (wrk -s wrk-kv.lua <url> -- GET|PUT KEYS),
-- and the same WRK_JSON `done` report as bench/gateway/wrk-report.lua. PUT sends a 128-byte JSON value.
local method, keys, counter = "GET", 10000, 0
local body = '{"value":"' .. string.rep("v", 128) .. '"}'

function init(args)
  method = args[1] or "GET"
  keys = tonumber(args[2] or "10000")
  counter = math.random(0, keys - 1)
end

function request()
  counter = (counter + 1) % keys
  local path = "/kv/k" .. counter
  if method == "PUT" then
    return wrk.format("PUT", path, { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
