-- wrk script for scripts/bench: each request asks for the next path of a list, so a run can
-- measure first views (each article asked for once) rather than one URL again and again.
--
--   wrk -t2 -c8 -d15s -s scripts/bench-paths.lua http://127.0.0.1:18080 -- PATHS once|cycle 2
--
-- PATHS is a file of paths, one a line; the last argument is wrk's thread count. Thread i of
-- n takes lines i, i+n, i+2n...: no two threads share a path. "once": a thread stops when its
-- share is used up, so no path is asked for twice in the run (give each thread more paths than
-- it has connections); "cycle": it starts its share again (a few pages, rendered every time).
--
-- The last line printed: "paths <requests> <req/s> <p50 ms> <p99 ms> <errors> <threads that
-- used up their share> <seconds until the first did>". wrk itself divides by the whole -d even
-- when every thread stopped sooner; req/s here is over the time the threads ran. Once a thread
-- has stopped, the connections it reopened stay open and idle, and a server with sync workers
-- (gunicorn's) waits on them: the rest of the run measures that wait, not the server. So
-- scripts/bench runs such a round again, shorter than the last number (0: none used up).

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *now);
]])
local CLOCK_MONOTONIC = 1

local function now()
    local time = ffi.new("bench_timespec")
    ffi.C.clock_gettime(CLOCK_MONOTONIC, time)
    return tonumber(time.tv_sec) + tonumber(time.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
    thread:set("thread_number", #threads)
    table.insert(threads, thread)
end

function init(args)
    -- wrk starts each thread as soon as it is set up, so the count comes as an argument.
    local file, mode, thread_count = args[1], args[2], tonumber(args[3])
    paths, next_index, cycle, exhausted = {}, 1, mode == "cycle", false
    started_at, stopped_at = now(), nil
    local line_number = 0
    for line in io.lines(file) do
        if line ~= "" then
            if line_number % thread_count == thread_number then
                paths[#paths + 1] = line
            end
            line_number = line_number + 1
        end
    end
end

local function used_up()
    if next_index <= #paths then
        return false
    end
    if cycle and #paths > 0 then
        next_index = 1
        return false
    end
    if not exhausted then
        exhausted, stopped_at = true, now()
        wrk.thread:stop()
    end
    return true
end

-- Asked before each request but a connection's first: once the share is used up the thread
-- stops before request() is called again, so the last path is not asked for twice.
function delay()
    if used_up() then
        return 3600000
    end
    return 0
end

function request()
    if used_up() then
        -- A connection's first request after the share is used up (fewer paths than
        -- connections, or a server that closed the connection): at most one repeat of the
        -- share's last path per connection.
        return wrk.format("GET", paths[#paths])
    end
    local path = paths[next_index]
    next_index = next_index + 1
    return wrk.format("GET", path)
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local exhausted_threads, first_start, first_stop, last_stop = 0, math.huge, math.huge, 0
    for _, thread in ipairs(threads) do
        first_start = math.min(first_start, thread:get("started_at"))
        if thread:get("exhausted") then
            exhausted_threads = exhausted_threads + 1
            first_stop = math.min(first_stop, thread:get("stopped_at"))
            last_stop = math.max(last_stop, thread:get("stopped_at"))
        end
    end
    if exhausted_threads == #threads then
        seconds = last_stop - first_start
    end
    local errors = summary.errors
    local failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout
    io.write(string.format(
        "paths %d %.2f %.2f %.2f %d %d %.3f\n",
        summary.requests,
        summary.requests / seconds,
        latency:percentile(50) / 1000,
        latency:percentile(99) / 1000,
        failed,
        exhausted_threads,
        exhausted_threads > 0 and first_stop - first_start or 0
    ))
end
