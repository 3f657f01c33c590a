-- wrk script for bench/serve_load.sh: POST /predict with real texts, one per request,
-- rotating through a file of texts (one per line), each with "Authorization: Bearer KEY".
--   wrk ... -s bench/serve_load.lua URL -- TEXTS KEY [MALFORMED_EVERY [BIG_TEXT_BYTES [UNAUTHENTICATED_EVERY]]]
-- With MALFORMED_EVERY = n, every n-th request is one of the malformed requests below,
-- in turn; with UNAUTHENTICATED_EVERY = m, every m-th of the others (counted from m/2,
-- so they do not coincide) has no key or a wrong one, alternately. done() prints one line
-- of key=value pairs that serve_load.sh reads.

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

-- Requests a client can get wrong, each of which must get a 4xx and never a 5xx. The
-- oversized ones are built from BIG_TEXT_BYTES, which the script sets above the
-- server's --max-body-bytes.
local function malformed_requests(big, key)
  local post = function(body, path)
    return wrk.format("POST", path or "/predict", { ["Content-Type"] = "application/json", ["Authorization"] = key }, body)
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
    post('{"inputs": "ok", "parameters": {"function_to_apply": "tanh"}}', "/"),
    post('{"inputs": "ok", "parameters": []}', "/"),
    post('{"inputs": 7}', "/tokenize"),
    post('{"ids": [1, -1]}', "/decode"),
    post('{"ids": [[1], "x"]}', "/decode"),
    post('{"model": "/no/such/model"}', "/admin/reload"),
    wrk.format("GET", "/predict", { ["Authorization"] = key }),
  }
end

function init(args)
  local texts = {}
  for line in io.lines(args[1]) do
    if #line > 0 then texts[#texts + 1] = line end
  end
  local key = "Bearer " .. args[2]
  local malformed_every = tonumber(args[3] or "0")
  local bad = malformed_requests(tonumber(args[4] or "70000"), key)
  local unauthenticated_every = tonumber(args[5] or "0")
  requests = {}
  local n_bad, n_unauthenticated = 0, 0
  for i = 1, #texts do
    local body = '{"inputs": ' .. json_string(texts[i]) .. '}'
    if malformed_every > 0 and i % malformed_every == 0 then
      n_bad = n_bad + 1
      requests[i] = bad[(n_bad - 1) % #bad + 1]
    elseif unauthenticated_every > 0 and (i + math.floor(unauthenticated_every / 2)) % unauthenticated_every == 0 then
      n_unauthenticated = n_unauthenticated + 1
      local headers = { ["Content-Type"] = "application/json" }
      if n_unauthenticated % 2 == 0 then headers["Authorization"] = key .. "x" end
      requests[i] = wrk.format("POST", "/predict", headers, body)
    else
      requests[i] = wrk.format("POST", "/predict", { ["Content-Type"] = "application/json", ["Authorization"] = key }, body)
    end
  end
  -- Threads start at different texts so they do not send the same sequence.
  next_request = wrk_thread_id * 97 % #requests
  statuses = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0, ["401"] = 0 }
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status)
  local class = math.floor(status / 100) .. "xx"
  statuses[class] = (statuses[class] or 0) + 1
  if status == 401 then statuses["401"] = statuses["401"] + 1 end
end

local threads = {}

function setup(thread)
  thread:set("wrk_thread_id", #threads)
  threads[#threads + 1] = thread
end

function done(summary, latency)
  local total = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0, ["401"] = 0 }
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("statuses")) do total[class] = (total[class] or 0) + n end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f s2xx=%d s4xx=%d s401=%d s5xx=%d non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total["2xx"], total["4xx"], total["401"], total["5xx"], summary.requests - total["2xx"],
    e.connect + e.read + e.write, e.timeout))
end
