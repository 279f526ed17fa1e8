-- wrk's load for runtime_bench. "place" (the default) posts the command body to
-- /orders/o-<n>/place over 10000 orders, so upserts mostly update existing rows and the relay
-- sees many aggregates, as in a real service; the bare server gets the same requests.
-- "health" gets /health. done() prints one line the driver parses instead of wrk's report.
local orders = 10000
local mode = "place"
local threads = 0

-- Runs in the main state: gives each thread its own random sequence of orders.
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  mode = args[1] or "place"
  math.randomseed(os.time() * 1000 + (id or 0))
  if mode == "place" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"customer":"c-42","total":99.5,"items":3}'
  end
end

function request()
  if mode == "health" then
    return wrk.format("GET", "/health")
  end
  return wrk.format(nil, "/orders/o-" .. math.random(orders) .. "/place")
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'wrk-summary {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
