-- Takes concurrency slots of one lane: at most ARGV[1] leases held by all processes together.
-- KEYS[1]: the lane's slots (a sorted set of leases scored by when they run out, in microseconds
-- on Redis's clock). ARGV[2]: the time to live in microseconds; ARGV[3..]: the leases wanted, in
-- order. Leases that ran out are given back first. Returns how many, from the first, are held.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = 0
for i = 3, #ARGV do
  local present = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if not present and redis.call('ZCARD', KEYS[1]) >= max then break end
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + ttl), ARGV[i])
  held = held + 1
end
redis.call('PEXPIRE', KEYS[1], math.floor(ttl / 1000) + 86400000)
return held
