-- wrk script for bench/tenants: the super admin's token on every request; prints
-- "requests non-2xx p95-ms" when done.
local token = os.getenv("TOKEN")

function request()
  return wrk.format("GET", nil, { ["authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  io.write(string.format("%d %d %.1f\n", summary.requests, summary.errors.status,
    latency:percentile(95) / 1000))
end
