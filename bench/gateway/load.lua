-- wrk's load for gateway_bench: GET /reviews/r-<n> over 1000 ids, with a bearer token when the
-- driver passes one. done() prints one line the driver parses instead of wrk's report.
local token = nil
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  token = args[1]
  math.randomseed(os.time() * 1000 + (id or 0))
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  return wrk.format("GET", "/reviews/r-" .. math.random(1000))
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'wrk-summary {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
