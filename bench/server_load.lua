-- wrk script for bench/server_load.sh: every request a new sign-up (a new address) from one of
-- 2,000 client addresses (X-Forwarded-For, the server runs --behind-proxy); counts the answers
-- by status and writes them to the file named by the COUNTS variable at the end.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  requests_left = tonumber(os.getenv("REQUESTS_PER_THREAD") or "10000")
end

function request()
  if requests_left <= 0 then
    wrk.thread:stop()
  end
  requests_left = requests_left - 1
  counter = counter + 1
  local n = id * 1000000 + counter
  local ip = string.format("10.%d.%d.%d", id, math.floor((counter % 2000) / 250), counter % 250 + 1)
  local body = "email=load" .. n .. "%40example.org&lang=en"
  return wrk.format("POST", "/subscribe", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = ip,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      total[code] = (total[code] or 0) + n
    end
  end
  local f = io.open(os.getenv("COUNTS"), "w")
  for code, n in pairs(total) do
    f:write(code .. " " .. n .. "\n")
  end
  f:close()
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
