-- Reserves a start of one lane for each of ARGV[1] costs, in order, the first up to a second and the
-- others no later than ARGV[2] microseconds ahead, on Redis's clock. KEYS[1]: the lane's rates hash ('w': when written, 'd1'..'dk': each rate's debt ahead of
-- then, in microseconds scaled by its permits). KEYS[2]: when this Redis's lane state began (set
-- by the first call; gone with the state when Redis restarts without it): a lane with no state
-- counts as spent up to 1.05 s after that (the first start's reach and the longest slack), so that starts granted before a restart and still in
-- use are not granted again (Pacer's SharedStartMath.Fresh). ARGV[3]: k; ARGV[4]: units added to
-- every cost rate's debt first (negative: given back); then permits, period (µs), burst and
-- 1 for a cost rate (0 for a request rate) per rate; then the costs. Returns { next start, start 1, start 2, ... } as microseconds after now.
-- The engine's GCRA (Pacer's SharedStartMath), line for line, in integers a double holds exactly.
local function ceildiv(a, b)
  local q = math.floor(a / b)
  while q * b < a do q = q + 1 end
  while q > 0 and (q - 1) * b >= a do q = q - 1 end
  return q
end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local count = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local k = tonumber(ARGV[3])
local adjustment = tonumber(ARGV[4])
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
  permits[r] = tonumber(ARGV[1 + 4 * r])
  period[r] = tonumber(ARGV[2 + 4 * r])
  burst[r] = tonumber(ARGV[3 + 4 * r])
  costly[r] = ARGV[4 + 4 * r] == '1'
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

local result = { 0 }
local at = 0
while count > 0 do
  local granted = #result - 1
  local cost = 1
  if granted < count then cost = tonumber(ARGV[4 + 4 * k + granted + 1]) end
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
  -- The first start is granted up to a second ahead: callers are served in the order they ask.
  if granted == count or (at > horizon and (granted > 0 or at > 1000000)) then break end
  for r = 1, k do
    local units = 1
    if costly[r] then units = cost end
    if units > 0 then
      local scaled = at * permits[r]
      if scaled > debt[r] then debt[r] = scaled end
      debt[r] = debt[r] + units * period[r]
    end
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
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], math.floor(longest / 1000) + 60000)
return result
