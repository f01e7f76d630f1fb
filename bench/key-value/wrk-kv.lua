-- wrk script for toska-store: GET or PUT /kv/k<n> over KEYS keys (wrk -s wrk-kv.lua <url> -- GET|PUT KEYS),
-- reporting through bench/gateway/wrk-report.lua's WRK_JSON `done` hook. PUT sends a 128-byte JSON value.
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

-- The `done` report is bench/gateway/wrk-report.lua's, loaded from beside this script.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../gateway/wrk-report.lua")
