-- wrk script for the GP Connect provider (and for the static-file baseline, with the very same
-- requests). Every request carries the Spine headers and an unsigned JWT (SPEC 2.3, 2.5); the
-- token is made here, renewed well before its 300 s lifetime ends.
--
-- Settings come from the environment (bench/run.sh sets them):
--   BENCH_METHOD       GET or POST
--   BENCH_PATH         request path (with query)
--   BENCH_INTERACTION  Ssp-InteractionID
--   BENCH_SCOPE        JWT requested_scope
--   BENCH_AUD          JWT aud (the practice's service root)
--   BENCH_SSP_TO       Ssp-To (the practice's ASID)
--   BENCH_THREADS      the -t given to wrk
--   BENCH_BODIES       POST only: file with one request body per line
--   BENCH_OFFSET       POST only: first line of BENCH_BODIES to use
--   BENCH_NEXT         POST only: file to write the first unused line to when done
--   BENCH_RESULT       file the summary line is appended to

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    if default == nil then
      error("bench: environment variable " .. name .. " is not set")
    end
    return default
  end
  return v
end

local method = env("BENCH_METHOD", "GET")
local path = env("BENCH_PATH")
local interaction = env("BENCH_INTERACTION")
local scope = env("BENCH_SCOPE")
local aud = env("BENCH_AUD")
local ssp_to = env("BENCH_SSP_TO")
local nthreads = tonumber(env("BENCH_THREADS", "1"))
local offset = tonumber(env("BENCH_OFFSET", "0"))

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- base64url without padding (RFC 4648 section 5), as JWTs use it.
local function b64url(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for k = 1, chars do
      local shift = 2 ^ (6 * (4 - k))
      local idx = math.floor(n / shift) % 64
      out[#out + 1] = B64:sub(idx + 1, idx + 1)
    end
  end
  return table.concat(out)
end

local HEADER = b64url('{"alg":"none","typ":"JWT"}')

-- SPEC 2.5: exp is exactly iat + 300.
local function jwt(iat)
  local claims = string.format(
    '{"iss":"https://benchmark.consumer.example/","sub":"1","aud":"%s","exp":%d,"iat":%d,'
      .. '"reason_for_request":"directcare","requested_scope":"%s",'
      .. '"requesting_device":{"resourceType":"Device","identifier":[{"system":"https://benchmark.consumer.example/Id/device","value":"wrk"}],"model":"wrk","version":"4"},'
      .. '"requesting_organization":{"resourceType":"Organization","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A20047"}],"name":"Benchmark Consumer"},'
      .. '"requesting_practitioner":{"resourceType":"Practitioner","id":"1","identifier":[{"system":"https://fhir.nhs.uk/Id/sds-user-id","value":"UNK"},{"system":"https://fhir.nhs.uk/Id/sds-role-profile-id","value":"UNK"}],"name":[{"family":"Bench","given":["Wrk"],"prefix":["Dr"]}]}}',
    aud, iat + 300, iat, scope)
  return HEADER .. "." .. b64url(claims) .. "."
end

local function uuid()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x",
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff),
    r(0, 0x3fff) + 0x8000, r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

local token, token_iat

local function bearer()
  local now = os.time()
  if token == nil or now - token_iat > 120 then
    token_iat = now
    token = "Bearer " .. jwt(now)
  end
  return token
end

-- Each wrk thread gets its own number, so that booking threads walk disjoint slots.
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local bodies = {}
used = 0
overrun = 0

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  if method == "POST" then
    -- Thread k takes lines offset+k, offset+k+T, offset+k+2T, ...: no two requests of a run,
    -- and no two runs, send the same slot.
    local file = env("BENCH_BODIES")
    local i = 0
    for line in io.lines(file) do
      if i >= offset and (i - offset) % nthreads == tid then
        bodies[#bodies + 1] = line
      end
      i = i + 1
    end
  end
end

function request()
  local headers = {
    ["Ssp-TraceID"] = uuid(),
    ["Ssp-From"] = "200000000359",
    ["Ssp-To"] = ssp_to,
    ["Ssp-InteractionID"] = interaction,
    ["Authorization"] = bearer(),
  }
  if method == "POST" then
    headers["Content-Type"] = "application/fhir+json"
    used = used + 1
    local body = bodies[used]
    if body == nil then
      -- Out of free slots: resend the last one, which answers 409 and is counted as an error.
      overrun = overrun + 1
      body = bodies[#bodies] or "{}"
    end
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

-- Booking answers by status, to tell 409s (and any other refusal) apart in the report.
statuses = {}
if method == "POST" then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local overruns = 0
  local by_status = {}
  if method == "POST" then
    local next_line = offset
    for _, t in ipairs(threads) do
      local n = t:get("used") or 0
      local k = t:get("tid") or 0
      overruns = overruns + (t:get("overrun") or 0)
      for status, n in pairs(t:get("statuses") or {}) do
        by_status[status] = (by_status[status] or 0) + n
      end
      if n > 0 then
        next_line = math.max(next_line, offset + k + (n - 1) * nthreads + 1)
      end
    end
    local f = assert(io.open(env("BENCH_NEXT"), "w"))
    f:write(string.format("%d\n", next_line))
    f:close()
  end
  local codes = {}
  for status, n in pairs(by_status) do
    codes[#codes + 1] = string.format("%d:%d", status, n)
  end
  table.sort(codes)
  local line = string.format(
    "requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d bytes=%d "
      .. "non2xx=%d connect=%d read=%d write=%d timeout=%d overrun=%d statuses=%s\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max, summary.bytes,
    e.status, e.connect, e.read, e.write, e.timeout, overruns,
    #codes > 0 and table.concat(codes, ",") or "-")
  local f = assert(io.open(env("BENCH_RESULT"), "a"))
  f:write(line)
  f:close()
  io.write(line)
end
