-- wrk script for bench/dashboard: the portal's requests as a signed-in member makes them,
-- on the tenant's own host. PATH_KIND=dashboard posts the dashboard's server function;
-- PATH_KIND=stats reads GET /api/v1/tenants/{id}/stats.
local kind = os.getenv("PATH_KIND") or "dashboard"
local token = os.getenv("TOKEN")
local host = os.getenv("PORTAL_HOST")
local tenant = os.getenv("TENANT_ID")

function request()
  local headers = { ["authorization"] = "Bearer " .. token, ["host"] = host }
  if kind == "stats" then
    return wrk.format("GET", "/api/v1/tenants/" .. tenant .. "/stats", headers)
  end
  headers["content-type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/api/portal/dashboard", headers, "")
end

function done(summary, latency, requests)
  io.write(string.format("%d %d %.1f\n", summary.requests, summary.errors.status,
    latency:percentile(95) / 1000))
end
