-- wrk script: cycle through prepared requests (method, path, cookie, body per line),
-- so every connection acts as many learners on many pages. Each thread starts at a
-- different offset. done() prints one JSON line that run.py parses.
--
-- BENCH_DELAY_MS paces the run: each connection waits a random time (exponential, this
-- mean) before its next request, so the server sees an offered load below saturation
-- instead of a closed loop. wrk measures latency from the moment a request is written,
-- so the wait is not counted. delay() must exist when the script loads, hence getenv.
-- The wait is capped at 4 s: uvicorn closes a connection idle for 5 s, which wrk would
-- count as a read error (a browser just opens a new one).
local mean_delay = tonumber(os.getenv("BENCH_DELAY_MS") or "") or 0
if mean_delay > 0 then
  function delay()
    return math.min(4000, math.floor(-mean_delay * math.log(1 - math.random())))
  end
end
local counter = 0
local requests_list = {}
local index = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

function init(args)
  local file = args[1]
  for line in io.lines(file) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = { ["Cookie"] = cookie }
      if body ~= "" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      table.insert(requests_list, wrk.format(method, path, headers, body))
    end
  end
  index = ((thread_id or 0) * 7919) % #requests_list
  math.randomseed(os.time() + (thread_id or 0))
end

function request()
  index = index % #requests_list + 1
  return requests_list[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
