-- Reserves a start of one lane for each of ARGV[1] costs, in order, the first up to a second and the
-- others no later than ARGV[2] microseconds ahead, on Redis's clock: the engine's GCRA and quota
-- windows (Pacer's SharedStartMath), line for line, in integers a double holds exactly.
-- KEYS[1]: the lane's hash ('w': when written; 'd1'..'dk': each rate's debt ahead of then, in
-- microseconds scaled by its permits; 'qw', 'q0', 'q1': the quota's window and what it used of that
-- window and the next). KEYS[2]: when this Redis's lane state began (set by the first call; gone
-- with the state when Redis restarts without it): a lane with no state counts as spent up to
-- 1.05 s after that (the first start's reach and the longest slack), so that starts granted
-- before a restart and still in use are not granted again (SharedStartMath.Fresh).
-- ARGV[3]: k, the number of rates; ARGV[4]: units added to every cost rate's debt, and to a quota
-- that counts cost, first (negative: given back); ARGV[5..8]: the quota's limit (0: none), period
-- and offset (µs), and 1 when it counts cost; then permits, period (µs), burst and 1 for a cost rate
-- (0 for a request rate) per rate; then the costs.
-- Returns { next start, start 1, start 2, ... } as microseconds after now.
local function ceildiv(a, b)
  local q = math.floor(a / b)
  while q * b < a do q = q + 1 end
  while q > 0 and (q - 1) * b >= a do q = q - 1 end
  return q
end

local function floordiv(a, b)
  local q = math.floor(a / b)
  while q * b > a do q = q - 1 end
  while (q + 1) * b <= a do q = q + 1 end
  return q
end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local count = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local k = tonumber(ARGV[3])
local adjustment = tonumber(ARGV[4])
local qlimit = tonumber(ARGV[5])
local qperiod = tonumber(ARGV[6])
local qoffset = tonumber(ARGV[7])
local qcostly = ARGV[8] == '1'
local stored = redis.call('HGET', KEYS[1], 'w')
local written = tonumber(stored or now)
local elapsed = now - written
if elapsed < 0 then elapsed = 0 end

local since = tonumber(redis.call('GET', KEYS[2]) or 0)
if since == 0 then
  since = now
  redis.call('SET', KEYS[2], string.format('%.0f', now))
end

local permits, period, burst, costly, debt = {}, {}, {}, {}, {}
for r = 1, k do
  permits[r] = tonumber(ARGV[5 + 4 * r])
  period[r] = tonumber(ARGV[6 + 4 * r])
  burst[r] = tonumber(ARGV[7 + 4 * r])
  costly[r] = ARGV[8 + 4 * r] == '1'
  if not stored then
    local ahead = since + 1050000 - now
    if ahead <= -ceildiv(period[r], permits[r]) then
      debt[r] = 0
    else
      debt[r] = math.max(0, ahead * permits[r] + period[r])
    end
  else
    local d = tonumber(redis.call('HGET', KEYS[1], 'd' .. r) or 0)
    if d <= 0 or elapsed >= ceildiv(d, permits[r]) then
      debt[r] = 0
    else
      debt[r] = d - elapsed * permits[r]
    end
  end
  if costly[r] and adjustment ~= 0 then
    debt[r] = math.max(0, debt[r] + adjustment * period[r])
  end
end

-- The quota: what it used of the window of now (used[0]) and of the next (used[1]).
local used = { [0] = 0, [1] = 0 }
local first = 0
if qlimit > 0 then
  first = floordiv(now - qoffset, qperiod)
  local qw = tonumber(redis.call('HGET', KEYS[1], 'qw') or 'nil')
  if qw == first then
    used[0] = tonumber(redis.call('HGET', KEYS[1], 'q0') or 0)
    used[1] = tonumber(redis.call('HGET', KEYS[1], 'q1') or 0)
  elseif qw == first - 1 then
    used[0] = tonumber(redis.call('HGET', KEYS[1], 'q1') or 0)
  end
  if qcostly then used[0] = math.max(0, used[0] + adjustment) end
end

local result = { 0 }
local at = 0
while count > 0 do
  local granted = #result - 1
  local cost = 1
  if granted < count then cost = tonumber(ARGV[8 + 4 * k + granted + 1]) end
  -- A start fits when its units fit in the burst, or its bucket is full (a start that costs more
  -- than the burst starts on a full bucket).
  for r = 1, k do
    local units = 1
    if costly[r] then units = cost end
    local need = math.min(debt[r] - (burst[r] - units) * period[r], debt[r])
    if units > 0 and need > 0 then
      local x = ceildiv(need, permits[r])
      if x > at then at = x end
    end
  end
  -- The quota's window at that time must hold the start's units (or be unused); else the start
  -- moves to the next window's beginning. Starts are reserved in the window of now and the next only.
  local window = 0
  local beyond = false
  if qlimit > 0 then
    local units = 1
    if qcostly then units = cost end
    while true do
      local w = floordiv(now + at - qoffset, qperiod) - first
      if w >= 2 then
        beyond = true
        break
      end
      window = w
      if units == 0 or used[w] == 0 or used[w] + units <= qlimit then break end
      at = (first + w + 1) * qperiod + qoffset - now
    end
  end
  -- The first start is granted up to a second ahead: callers are served in the order they ask.
  if granted == count or beyond or (at > horizon and (granted > 0 or at > 1000000)) then break end
  for r = 1, k do
    local units = 1
    if costly[r] then units = cost end
    if units > 0 then
      local scaled = at * permits[r]
      if scaled > debt[r] then debt[r] = scaled end
      debt[r] = debt[r] + units * period[r]
    end
  end
  if qlimit > 0 then
    if qcostly then used[window] = used[window] + cost else used[window] = used[window] + 1 end
  end
  result[#result + 1] = at
end
result[1] = at

local fields = { 'w', string.format('%.0f', now) }
local longest = 0
for r = 1, k do
  fields[#fields + 1] = 'd' .. r
  fields[#fields + 1] = string.format('%.0f', debt[r])
  local hold = ceildiv(debt[r], permits[r])
  if hold > longest then longest = hold end
end
if qlimit > 0 then
  fields[#fields + 1] = 'qw'
  fields[#fields + 1] = string.format('%.0f', first)
  fields[#fields + 1] = 'q0'
  fields[#fields + 1] = string.format('%.0f', used[0])
  fields[#fields + 1] = 'q1'
  fields[#fields + 1] = string.format('%.0f', used[1])
  -- Kept until the end of the next window.
  local until_next = (first + 2) * qperiod + qoffset - now
  if until_next > longest then longest = until_next end
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], math.floor(longest / 1000) + 60000)
return result
