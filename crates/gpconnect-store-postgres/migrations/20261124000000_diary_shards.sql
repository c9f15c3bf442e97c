-- A practice's diary version without one hot row. Before, every transaction that changed the
-- diary ended with `UPDATE practice SET diary_version = diary_version + 1`, so concurrent
-- bookings of one practice waited for each other's commit (and its WAL flush) on the practice
-- row, one at a time. Now such a transaction adds 1 to one of 32 counters of the practice in
-- `diary_bump`, the one numbered by its backend's process id: transactions on different
-- connections mostly add to different rows and commit together.
--
-- The diary version a reader sees is `practice.diary_version` plus the sum of the practice's
-- counters. Every change adds at least 1 and a later snapshot sees every change an earlier one
-- saw, so the version moves on with every change a reader can see, as before. A script that
-- still runs the old `UPDATE practice SET diary_version = diary_version + 1` moves it on too.
CREATE TABLE diary_bump (
    practice TEXT NOT NULL REFERENCES practice (ods) ON DELETE CASCADE,
    shard INTEGER NOT NULL,
    bumps BIGINT NOT NULL,
    PRIMARY KEY (practice, shard)
);

-- Moves a practice's diary version on (nothing for a practice that does not exist). PL/pgSQL,
-- not SQL: a session plans its statement once, where a SQL function called from another
-- function is parsed and planned again on every call.
CREATE FUNCTION bump_diary(p_practice TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO diary_bump (practice, shard, bumps)
    SELECT ods, pg_backend_pid() % 32, 1 FROM practice WHERE ods = p_practice
    ON CONFLICT (practice, shard) DO UPDATE SET bumps = diary_bump.bumps + 1;
END
$$;

-- The booking function of migration 20261123000000, unchanged but for its last statement.
CREATE OR REPLACE FUNCTION book_appointment(
    p_practice TEXT,
    p_id TEXT,
    p_version BIGINT,
    p_patient_id TEXT,
    p_start_at BIGINT,
    p_end_at BIGINT,
    p_status TEXT,
    p_body TEXT,
    p_slots TEXT[],
    p_org_ods TEXT,
    p_org_type TEXT,
    p_day_from BIGINT[],
    p_day_to BIGINT[],
    p_day_names TEXT[]
) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    s TEXT;
    lim RECORD;
    held BIGINT;
BEGIN
    INSERT INTO appointment (practice, id, version, patient_id, start_at, end_at, status, body)
    VALUES (p_practice, p_id, p_version, p_patient_id, p_start_at, p_end_at, p_status, p_body);
    FOR s IN SELECT u FROM unnest(p_slots) AS u ORDER BY u COLLATE "C" LOOP
        UPDATE slot SET status = 'busy', version = version + 1
        WHERE practice = p_practice AND id = s AND status = 'free';
        IF NOT FOUND THEN
            IF EXISTS (SELECT 1 FROM slot WHERE practice = p_practice AND id = s) THEN
                RAISE EXCEPTION 'slot % is not free', s USING ERRCODE = 'GPC01';
            END IF;
            RAISE EXCEPTION 'slot % does not exist', s USING ERRCODE = 'GPC02';
        END IF;
        INSERT INTO slot_booking (practice, slot_id, appointment_id, slot_start, org_ods, org_type)
        SELECT p_practice, s, p_id, start_at, p_org_ods, p_org_type
        FROM slot WHERE practice = p_practice AND id = s;
    END LOOP;
    IF p_org_ods IS NOT NULL OR p_org_type IS NOT NULL THEN
        FOR lim IN
            SELECT l.id, l.name, l.org_types, l.ods_codes, l.slots_per_day FROM booking_limit l
            WHERE l.practice = p_practice
              AND (p_org_ods IN (SELECT jsonb_array_elements_text(l.ods_codes::jsonb))
                   OR p_org_type IN (SELECT jsonb_array_elements_text(l.org_types::jsonb)))
            ORDER BY l.id COLLATE "C"
            FOR UPDATE
        LOOP
            FOR i IN 1 .. coalesce(array_length(p_day_from, 1), 0) LOOP
                SELECT count(*) INTO held FROM slot_booking b
                WHERE b.practice = p_practice
                  AND b.slot_start >= p_day_from[i] AND b.slot_start < p_day_to[i]
                  AND (b.org_ods IN (SELECT jsonb_array_elements_text(lim.ods_codes::jsonb))
                       OR b.org_type IN (SELECT jsonb_array_elements_text(lim.org_types::jsonb)));
                IF held > lim.slots_per_day THEN
                    RAISE EXCEPTION 'the organisation access limit ''%'' allows the organisations it covers % slot(s) starting on %, and this booking would go beyond it',
                        lim.name, lim.slots_per_day, p_day_names[i]
                        USING ERRCODE = 'GPC03';
                END IF;
            END LOOP;
        END LOOP;
    END IF;
    PERFORM bump_diary(p_practice);
END
$$;
