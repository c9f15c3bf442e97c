-- A booking in one statement, so in one round trip (SPEC 3.11, 2.14): the appointment at
-- version 1, then each of its slots taken in id order (byte order, as the store sorts them,
-- so that concurrent bookings lock slots in one order), each recorded in slot_booking, whose
-- key admits one booking per slot, then the practice's diary version moved on, last. Called
-- as one statement it is one transaction: all of it is committed, or none.
--
-- Errors: SQLSTATE GPC01 when a slot is not free, GPC02 when a slot does not exist; a unique
-- violation on appointment_pkey when the id is taken, on slot_booking_pkey when the slot is
-- already booked.
CREATE FUNCTION book_appointment(
    p_practice TEXT,
    p_id TEXT,
    p_version BIGINT,
    p_patient_id TEXT,
    p_start_at BIGINT,
    p_end_at BIGINT,
    p_status TEXT,
    p_body TEXT,
    p_slots TEXT[]
) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    s TEXT;
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
        INSERT INTO slot_booking (practice, slot_id, appointment_id) VALUES (p_practice, s, p_id);
    END LOOP;
    UPDATE practice SET diary_version = diary_version + 1 WHERE ods = p_practice;
END
$$;
