-- Quotas in the shared lane state: each start spends one unit, or its cost, of the quota's window it
-- falls in. The functions of 002 and 003 stay for processes not yet upgraded; all keep the same debts.

ALTER TABLE pacer_lane_rates
    ADD COLUMN quota_window bigint,                    -- the quota's window, counted from the epoch
    ADD COLUMN quota_used   bigint NOT NULL DEFAULT 0, -- what it used of that window
    ADD COLUMN quota_next   bigint NOT NULL DEFAULT 0; -- and of the next (starts reserved across the edge)

-- Reserves a start of one lane for each of p_costs, in order, the first up to a second and the
-- others no later than p_horizon microseconds ahead, after adding p_adjust units to every cost
-- rate's debt and to a quota that counts cost (negative: given back, never below idle): the
-- engine's GCRA and quota windows (Pacer's SharedStartMath), line for line. p_costly says which
-- rates count cost; p_qlimit (0: none), p_qperiod, p_qoffset and p_qcostly are the quota. Returns
-- { next start, start 1, ... } as microseconds after now. One row lock per lane; one round trip.
CREATE FUNCTION pacer_reserve_starts(p_lane text, p_permits bigint[], p_periods bigint[], p_bursts bigint[], p_costly boolean[], p_costs bigint[], p_adjust bigint, p_horizon bigint,
                                     p_qlimit bigint, p_qperiod bigint, p_qoffset bigint, p_qcostly boolean)
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
    v_first   bigint := 0;
    v_qw      bigint;
    v_q0      bigint;
    v_q1      bigint;
    v_used    bigint[] := ARRAY[0::bigint, 0::bigint];
    v_window  integer;
    v_w       bigint;
    v_beyond  boolean;
BEGIN
    INSERT INTO pacer_lane_rates (lane, written_at, debts) VALUES (p_lane, v_now, '{}') ON CONFLICT (lane) DO NOTHING;
    SELECT written_at, debts, quota_window, quota_used, quota_next INTO v_written, v_debts, v_qw, v_q0, v_q1 FROM pacer_lane_rates WHERE lane = p_lane FOR UPDATE;
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
    -- The quota: what it used of the window of now (v_used[1]) and of the next (v_used[2]).
    IF p_qlimit > 0 THEN
        v_first := floor((v_now - p_qoffset)::numeric / p_qperiod)::bigint;
        IF v_qw = v_first THEN
            v_used := ARRAY[v_q0, v_q1];
        ELSIF v_qw = v_first - 1 THEN
            v_used := ARRAY[v_q1, 0::bigint];
        END IF;
        IF p_qcostly THEN
            v_used[1] := greatest(0, v_used[1] + p_adjust);
        END IF;
    END IF;
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
        -- The quota's window at that time must hold the start's units (or be unused); else the start
        -- moves to the next window's beginning. Starts are reserved in the window of now and the next only.
        v_window := 0;
        v_beyond := false;
        IF p_qlimit > 0 THEN
            v_units := CASE WHEN p_qcostly THEN v_cost ELSE 1 END;
            LOOP
                v_w := floor((v_now + v_at - p_qoffset)::numeric / p_qperiod)::bigint - v_first;
                IF v_w >= 2 THEN
                    v_beyond := true;
                    EXIT;
                END IF;
                v_window := v_w;
                EXIT WHEN v_units = 0 OR v_used[v_w + 1] = 0 OR v_used[v_w + 1] + v_units <= p_qlimit;
                v_at := (v_first + v_w + 1) * p_qperiod + p_qoffset - v_now;
            END LOOP;
        END IF;
        -- The first start is granted up to a second ahead: callers are served in the order they ask.
        EXIT WHEN v_granted = v_n OR v_beyond OR (v_at > p_horizon AND (v_granted > 0 OR v_at > 1000000));
        FOR r IN 1 .. v_k LOOP
            v_units := CASE WHEN p_costly[r] THEN v_cost ELSE 1 END;
            IF v_units > 0 THEN
                v_debt[r] := greatest(v_debt[r], v_at * p_permits[r]) + v_units * p_periods[r];
            END IF;
        END LOOP;
        IF p_qlimit > 0 THEN
            v_used[v_window + 1] := v_used[v_window + 1] + CASE WHEN p_qcostly THEN v_cost ELSE 1 END;
        END IF;
        v_result := v_result || v_at;
        v_granted := v_granted + 1;
    END LOOP;
    v_result[1] := v_at;
    IF p_qlimit > 0 THEN
        UPDATE pacer_lane_rates SET written_at = v_now, debts = v_debt, quota_window = v_first, quota_used = v_used[1], quota_next = v_used[2] WHERE lane = p_lane;
    ELSE
        UPDATE pacer_lane_rates SET written_at = v_now, debts = v_debt WHERE lane = p_lane;
    END IF;
    RETURN v_result;
END
$$;
