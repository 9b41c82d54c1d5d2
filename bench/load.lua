-- wrk script for bin/bench: counts the answers whose status is not the expected one (the script's
-- argument), and prints one line the benchmark reads: requests, seconds, p50 and p99 in milliseconds,
-- unexpected answers and socket errors (wrk's errors.status counts every answer of 400 or more, the
-- expected 401 too, so it is left to the count above).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  unexpected = 0
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH %d %.6f %.3f %.3f %d %d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    wrong, errors.connect + errors.read + errors.write + errors.timeout
  ))
end
