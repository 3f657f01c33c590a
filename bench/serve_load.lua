-- wrk script for bench/serve_load.sh: POST /predict with real texts, one per request,
-- rotating through a file of texts (one per line).
--   wrk ... -s bench/serve_load.lua URL -- TEXTS [MALFORMED_EVERY [BIG_TEXT_BYTES]]
-- With MALFORMED_EVERY = n, every n-th request is one of the malformed requests below,
-- in turn. done() prints one line of key=value pairs that serve_load.sh reads.

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

-- Requests a client can get wrong, each of which must get a 4xx and never a 5xx. The
-- oversized ones are built from BIG_TEXT_BYTES, which the script sets above the
-- server's --max-body-bytes.
local function malformed_requests(big)
  local post = function(body, path)
    return wrk.format("POST", path or "/predict", { ["Content-Type"] = "application/json" }, body)
  end
  local many = {}
  for i = 1, 65 do many[i] = '"t"' end  -- one more than the default --max-inputs
  local long_words = string.rep("слово ", 3000)  -- far over the model's max length
  return {
    post("{not json"),
    post(""),
    post("null"),
    post('["a list, not an object"]'),
    post('{"inputs": 5}'),
    post('{"inputs": ["ok", 5]}'),
    post('{"inputs": []}'),
    post('{"inputs": ""}'),
    post('{"inputs": "\255\254 invalid utf-8 \192\128"}'),
    post('{"inputs": "ok", "text": "unknown field"}'),
    post('{"inputs": "ok", "top_k": 1000000000}'),
    post('{"inputs": "ok", "top_k": -3}'),
    post('{"inputs": "ok", "top_k": 1e300}'),
    post('{"inputs": "ok", "truncate": "yes"}'),
    post('{"inputs": ["a", "b"], "text_pair": "one pair for two texts"}'),
    post('{"inputs": [' .. table.concat(many, ",") .. ']}'),
    post('{"inputs": ' .. json_string(long_words) .. '}'),
    post('{"inputs": ' .. json_string(string.rep("a", big)) .. '}'),
    post(string.rep("[", 20000) .. string.rep("]", 20000)),
    post(string.rep("[", 30000)),
    post('{"inputs": "ok"}', "/nothing"),
    wrk.format("GET", "/predict"),
  }
end

function init(args)
  local texts = {}
  for line in io.lines(args[1]) do
    if #line > 0 then texts[#texts + 1] = line end
  end
  local malformed_every = tonumber(args[2] or "0")
  local bad = malformed_requests(tonumber(args[3] or "70000"))
  requests = {}
  local n_bad = 0
  for i = 1, #texts do
    if malformed_every > 0 and i % malformed_every == 0 then
      n_bad = n_bad + 1
      requests[i] = bad[(n_bad - 1) % #bad + 1]
    else
      requests[i] = wrk.format("POST", "/predict", { ["Content-Type"] = "application/json" },
                               '{"inputs": ' .. json_string(texts[i]) .. '}')
    end
  end
  -- Threads start at different texts so they do not send the same sequence.
  next_request = wrk_thread_id * 97 % #requests
  statuses = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status)
  local class = math.floor(status / 100) .. "xx"
  statuses[class] = (statuses[class] or 0) + 1
end

local threads = {}

function setup(thread)
  thread:set("wrk_thread_id", #threads)
  threads[#threads + 1] = thread
end

function done(summary, latency)
  local total = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("statuses")) do total[class] = (total[class] or 0) + n end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f s2xx=%d s4xx=%d s5xx=%d non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total["2xx"], total["4xx"], total["5xx"], summary.requests - total["2xx"],
    e.connect + e.read + e.write, e.timeout))
end
