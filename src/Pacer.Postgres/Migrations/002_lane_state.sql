-- Shared lane state: one limit kept by many processes. UNLOGGED: the state is small, written on
-- every decision, and worth nothing after a crash (debts run out within a period; leases within
-- their time to live), so it skips the write-ahead log. Time is the server's clock_timestamp(),
-- in microseconds, never a process's.

CREATE UNLOGGED TABLE pacer_lane_rates (
    lane       text PRIMARY KEY,
    written_at bigint NOT NULL,   -- microseconds since the epoch, on the server's clock
    debts      bigint[] NOT NULL  -- per rate: microseconds ahead of written_at, scaled by its permits
);

CREATE UNLOGGED TABLE pacer_lane_slots (
    lane       text NOT NULL,
    lease      text NOT NULL,
    expires_at bigint NOT NULL,   -- microseconds since the epoch, on the server's clock
    PRIMARY KEY (lane, lease)
);

-- Reserves up to p_count starts of one lane, the first up to a second and the others no later than
-- p_horizon microseconds ahead: the
-- engine's GCRA (Pacer's SharedStartMath), line for line. Returns { next start, start 1, ... } as
-- microseconds after now. One row lock per lane; one round trip per grant.
CREATE FUNCTION pacer_reserve_starts(p_lane text, p_permits bigint[], p_periods bigint[], p_bursts bigint[], p_count integer, p_horizon bigint)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    v_now     bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    v_k       integer := coalesce(array_length(p_permits, 1), 0);
    v_written bigint;
    v_debts   bigint[];
    v_debt    bigint[] := '{}';
    v_elapsed bigint;
    v_d       bigint;
    -- A lane with no state, soon after the server started (a restart may have lost it), counts as
    -- spent up to 1.05 s after the start (the first start's reach and the longest slack): starts granted before and still in use are not granted
    -- again (Pacer's SharedStartMath.Fresh).
    v_ahead   bigint := (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint + 1050000 - v_now;
    v_at      bigint := 0;
    v_need    bigint;
    v_result  bigint[] := ARRAY[0::bigint];
BEGIN
    INSERT INTO pacer_lane_rates (lane, written_at, debts) VALUES (p_lane, v_now, '{}') ON CONFLICT (lane) DO NOTHING;
    SELECT written_at, debts INTO v_written, v_debts FROM pacer_lane_rates WHERE lane = p_lane FOR UPDATE;
    v_elapsed := greatest(v_now - v_written, 0);
    FOR r IN 1 .. v_k LOOP
        IF cardinality(v_debts) = 0 THEN
            IF v_ahead <= -((p_periods[r] + p_permits[r] - 1) / p_permits[r]) THEN
                v_debt[r] := 0;
            ELSE
                v_debt[r] := greatest(0, v_ahead * p_permits[r] + p_periods[r]);
            END IF;
        ELSE
            v_d := coalesce(v_debts[r], 0);
            IF v_d <= 0 OR v_elapsed >= (v_d + p_permits[r] - 1) / p_permits[r] THEN
                v_debt[r] := 0;
            ELSE
                v_debt[r] := v_d - v_elapsed * p_permits[r];
            END IF;
        END IF;
    END LOOP;
    LOOP
        FOR r IN 1 .. v_k LOOP
            v_need := v_debt[r] - (p_bursts[r] - 1) * p_periods[r];
            IF v_need > 0 THEN
                v_at := greatest(v_at, (v_need + p_permits[r] - 1) / p_permits[r]);
            END IF;
        END LOOP;
        -- The first start is granted up to a second ahead: callers are served in the order they ask.
        EXIT WHEN cardinality(v_result) - 1 = p_count OR (v_at > p_horizon AND (cardinality(v_result) > 1 OR v_at > 1000000));
        FOR r IN 1 .. v_k LOOP
            v_debt[r] := greatest(v_debt[r], v_at * p_permits[r]) + p_periods[r];
        END LOOP;
        v_result := v_result || v_at;
    END LOOP;
    v_result[1] := v_at;
    UPDATE pacer_lane_rates SET written_at = v_now, debts = v_debt WHERE lane = p_lane;
    RETURN v_result;
END
$$;

-- Takes concurrency slots of one lane: at most p_max leases held by all processes together,
-- those that ran out given back first. Returns how many of p_leases, from the first, are held.
CREATE FUNCTION pacer_acquire_slots(p_lane text, p_max integer, p_leases text[], p_ttl bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_now   bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    v_held  integer := 0;
    v_count integer;
    v_lease text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('pacer_lane_slots:' || p_lane, 0));
    DELETE FROM pacer_lane_slots WHERE lane = p_lane AND expires_at <= v_now;
    SELECT count(*) INTO v_count FROM pacer_lane_slots WHERE lane = p_lane;
    FOREACH v_lease IN ARRAY p_leases LOOP
        UPDATE pacer_lane_slots SET expires_at = v_now + p_ttl WHERE lane = p_lane AND lease = v_lease;
        IF NOT FOUND THEN
            EXIT WHEN v_count >= p_max;
            INSERT INTO pacer_lane_slots (lane, lease, expires_at) VALUES (p_lane, v_lease, v_now + p_ttl);
            v_count := v_count + 1;
        END IF;
        v_held := v_held + 1;
    END LOOP;
    RETURN v_held;
END
$$;

-- Holds leases of one lane p_ttl microseconds more; a lease that ran out is not taken again.
CREATE FUNCTION pacer_renew_slots(p_lane text, p_leases text[], p_ttl bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_now  bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    v_held integer;
BEGIN
    UPDATE pacer_lane_slots SET expires_at = v_now + p_ttl
     WHERE lane = p_lane AND lease = ANY (p_leases) AND expires_at > v_now;
    GET DIAGNOSTICS v_held = ROW_COUNT;
    RETURN v_held;
END
$$;
