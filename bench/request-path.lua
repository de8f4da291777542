-- wrk script for bench/request-path. MODE=get: GET the path given to wrk, on HOST with COOKIE
-- when set. MODE=hash: bare axum's argon2 hash of PASSWORD. MODE=login: JSON sign-ins from random client addresses (X-Forwarded-For, believed
-- from 127.0.0.1 during the benchmark), every other one with an unknown address (which costs
-- the same hash). Prints one line: requests, answers not expected, req/s, p99 ms.
local mode = os.getenv("MODE") or "get"
local host = os.getenv("HOST")
local cookie = os.getenv("COOKIE")
local email = os.getenv("EMAIL")
local password = os.getenv("PASSWORD")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  counter = 0
  unexpected = 0
end

function request()
  local headers = {}
  if host then headers["host"] = host end
  if mode == "hash" then
    return wrk.format("POST", "/hash", headers, password)
  end
  if mode ~= "login" then
    if cookie then headers["cookie"] = cookie end
    return wrk.format("GET", nil, headers)
  end
  counter = counter + 1
  headers["content-type"] = "application/json"
  headers["x-forwarded-for"] = string.format("10.%d.%d.%d",
    math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local who = email
  if counter % 2 == 0 then
    who = string.format("nobody.%d.%d@bench.example", math.random(1, 1000000000), counter)
  end
  local body = string.format('{"email":"%s","password":"%s"}', who, password)
  return wrk.format("POST", "/api/v1/auth/login", headers, body)
end

function response(status, headers, body)
  -- A sign-in answers 200 or 401 (both hashed); a page 200; the JSON 404 its 404.
  local expected = status == 200 or (mode == "login" and status == 401)
    or os.getenv("EXPECT") == tostring(status)
  if not expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do unexpected = unexpected + thread:get("unexpected") end
  io.write(string.format("%d %d %.1f %.2f\n", summary.requests, unexpected,
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
