-- wrk script for bench/clicks.sh: GET requests over the tracked links listed (one path per
-- line) in the file named by PATHS, in turn; counts the answers by status and appends them,
-- one "status count" line per status and thread, to the file named by COUNTS at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("PATHS")) do
    table.insert(paths, line)
  end
  statuses = {}
  n = 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], { ["User-Agent"] = "Mozilla/5.0 (load test)" })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("COUNTS"), "a")
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, count in pairs(counted) do
      out:write(status .. " " .. count .. "\n")
    end
  end
  out:close()
end
