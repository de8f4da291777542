-- wrk script for bench/auth: each request from another client address (X-Forwarded-For,
-- believed from 127.0.0.1 only during the benchmark) so the per-address rate limits measure
-- nothing; MODE=login signs in the bench account, MODE=register creates a new account.
local mode = os.getenv("MODE") or "login"
local counter = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  counter = counter + 1
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local headers = { ["content-type"] = "application/json", ["x-forwarded-for"] = ip }
  if mode == "register" then
    local body = string.format(
      '{"email":"bench.%d.%d@example.com","password":"Sturdy-Otter-42","first_name":"Bench","last_name":"User"}',
      math.random(1, 1000000000), counter)
    return wrk.format("POST", "/api/v1/auth/register", headers, body)
  end
  local body = '{"email":"bench@example.com","password":"Bench-Pass-2026"}'
  return wrk.format("POST", "/api/v1/auth/login", headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "%s: %d requests, %d not 2xx, %.1f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, mean %.1f ms\n",
    mode, summary.requests, summary.errors.status, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end
