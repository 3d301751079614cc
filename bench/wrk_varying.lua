-- wrk script for bench/run.py: every request is a GET of the next path of a file, made unique by a
-- tag appended as a SPARQL comment ("\n# <nonce>-<thread>-<n>"), so no answer cache can serve it.
-- Arguments (after --): <paths file> <max responses per thread> <Accept> <nonce>.
-- A thread that reaches its maximum prints LIMIT and stops; bench/run.py then interrupts wrk
-- (SIGINT) once every thread has stopped, so the measured duration ends with the last response.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   limit = tonumber(args[2])
   wrk.headers["Accept"] = args[3]
   nonce = args[4]
   index = ((id - 1) * 7919) % #paths
   sent, received = 0, 0
end

function request()
   index = index % #paths + 1
   sent = sent + 1
   return wrk.format("GET", paths[index] .. "%0A%23%20" .. nonce .. "-" .. id .. "-" .. sent)
end

function response(status, headers, body)
   received = received + 1
   if received == limit then
      io.write("LIMIT\n")
      io.flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
         .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50),
      latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout))
   io.flush()
end
