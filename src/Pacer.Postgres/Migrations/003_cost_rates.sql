-- Cost rates (such as tokens per minute) in the shared lane state: each start spends its cost of a
-- cost rate, one unit of a request rate. The function of 002 stays for processes not yet upgraded;
-- both keep the same debts.

-- Reserves a start of one lane for each of p_costs, in order, the first up to a second and the
-- others no later than p_horizon microseconds ahead, after adding p_adjust units to every cost
-- rate's debt (negative: given back, never below idle): the engine's GCRA (Pacer's
-- SharedStartMath), line for line. p_costly says which rates count cost. Returns
-- { next start, start 1, ... } as microseconds after now. One row lock per lane; one round trip.
CREATE FUNCTION pacer_reserve_starts(p_lane text, p_permits bigint[], p_periods bigint[], p_bursts bigint[], p_costly boolean[], p_costs bigint[], p_adjust bigint, p_horizon bigint)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    v_now     bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    v_k       integer := coalesce(array_length(p_permits, 1), 0);
    v_n       integer := coalesce(array_length(p_costs, 1), 0);
    v_written bigint;
    v_debts   bigint[];
    v_debt    bigint[] := '{}';
    v_elapsed bigint;
    v_d       bigint;
    -- A lane with no state, soon after the server started (a restart may have lost it), counts as
    -- spent up to 1.05 s after the start (the first start's reach and the longest slack): starts
    -- granted before and still in use are not granted again (Pacer's SharedStartMath.Fresh).
    v_ahead   bigint := (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint + 1050000 - v_now;
    v_at      bigint := 0;
    v_need    bigint;
    v_cost    bigint;
    v_units   bigint;
    v_granted integer := 0;
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
        IF p_costly[r] AND p_adjust <> 0 THEN
            v_debt[r] := greatest(0, v_debt[r] + p_adjust * p_periods[r]);
        END IF;
    END LOOP;
    WHILE v_n > 0 LOOP
        v_cost := CASE WHEN v_granted < v_n THEN p_costs[v_granted + 1] ELSE 1 END;
        -- A start fits when its units fit in the burst, or its bucket is full (a start that costs
        -- more than the burst starts on a full bucket).
        FOR r IN 1 .. v_k LOOP
            v_units := CASE WHEN p_costly[r] THEN v_cost ELSE 1 END;
            v_need := least(v_debt[r] - (p_bursts[r] - v_units) * p_periods[r], v_debt[r]);
            IF v_units > 0 AND v_need > 0 THEN
                v_at := greatest(v_at, (v_need + p_permits[r] - 1) / p_permits[r]);
            END IF;
        END LOOP;
        -- The first start is granted up to a second ahead: callers are served in the order they ask.
        EXIT WHEN v_granted = v_n OR (v_at > p_horizon AND (v_granted > 0 OR v_at > 1000000));
        FOR r IN 1 .. v_k LOOP
            v_units := CASE WHEN p_costly[r] THEN v_cost ELSE 1 END;
            IF v_units > 0 THEN
                v_debt[r] := greatest(v_debt[r], v_at * p_permits[r]) + v_units * p_periods[r];
            END IF;
        END LOOP;
        v_result := v_result || v_at;
        v_granted := v_granted + 1;
    END LOOP;
    v_result[1] := v_at;
    UPDATE pacer_lane_rates SET written_at = v_now, debts = v_debt WHERE lane = p_lane;
    RETURN v_result;
END
$$;
