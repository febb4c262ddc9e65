-- Holds leases of one lane ARGV[1] microseconds more, on Redis's clock. KEYS[1]: the lane's slots;
-- ARGV[2..]: the leases. A lease that ran out is not taken again. Returns how many were held.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now + ttl), ARGV[i])
    held = held + 1
  end
end
redis.call('PEXPIRE', KEYS[1], math.floor(ttl / 1000) + 86400000)
return held
