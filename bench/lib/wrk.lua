-- wrk script for the bench's POST loads (intake, sign-in, --challenge). Arguments after `--`:
--   1 body template: "{email}" becomes a unique address, "{line}" the next line of the lines file
--   2 address prefix: addresses are <prefix>.<thread id>.<counter>@bench.example.com, so every
--     request of every thread and connection of the run has its own address
--   3 lines file ("" for none): thread t takes lines offset+t, offset+t+T, offset+t+2T, ... (T threads,
--     wrapping at the end), so no two requests share a line until the file is used up
--   4 thread count T, 5 offset
-- done() prints one line "WRK_RESULT {json}": requests, errors, status counts, latency percentiles (µs)
-- `made`, the requests sent (those in flight at the end included: the server still handles them),
-- and `mostPerThread`, the most requests one thread made: offset + T * mostPerThread is the first line
-- no thread has reached (for a following run that must not reuse lines). setup() and done() run in
-- wrk's main Lua state, init() and request() in each thread's: done() reads threads through thread:get().
local threads = {}
local created = 0

function setup(thread)
  thread:set("tid", created)
  created = created + 1
  table.insert(threads, thread)
end

local template, prefix, lines, nthreads, offset

function init(args)
  template = args[1]
  prefix = args[2]
  nthreads = tonumber(args[4])
  offset = tonumber(args[5])
  if args[3] ~= nil and args[3] ~= "" then
    lines = {}
    for line in io.lines(args[3]) do
      lines[#lines + 1] = line
    end
  end
  -- Globals, so that done() can read them through thread:get().
  made = 0
  statuses = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function replace(s, key, value)
  local i, j = string.find(s, key, 1, true)
  if i == nil then return s end
  return string.sub(s, 1, i - 1) .. value .. string.sub(s, j + 1)
end

function request()
  local n = made
  made = n + 1
  local body = replace(template, "{email}", prefix .. "." .. tid .. "." .. n .. "@bench.example.com")
  if lines then
    body = replace(body, "{line}", lines[((offset + tid + nthreads * n) % #lines) + 1])
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local most = 0
  local total = 0
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("statuses")) do
      counts[key] = (counts[key] or 0) + count
    end
    local m = thread:get("made")
    total = total + m
    if m > most then most = m end
  end
  local parts = {}
  for key, count in pairs(counts) do
    parts[#parts + 1] = string.format('"%s":%d', key, count)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"statuses":{%s},"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%d,"made":%d,"mostPerThread":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ","), latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, math.floor(latency.mean), total, most))
end
