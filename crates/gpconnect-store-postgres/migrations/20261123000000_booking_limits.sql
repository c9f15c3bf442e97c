-- SPEC 5: organisation access limits. The organisations of the listed types (JSON array of
-- GPConnect-OrganisationType-1 codes) and those with the listed ODS codes (JSON array) may
-- together hold at most slots_per_day slots starting on any one UK day.
CREATE TABLE booking_limit (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    org_types TEXT NOT NULL,
    ods_codes TEXT NOT NULL,
    slots_per_day BIGINT NOT NULL CHECK (slots_per_day >= 0),
    PRIMARY KEY (practice, id)
);

-- What the limits count: each booked slot's start, and the organisation the booking was made
-- for (NULL for bookings made on the practice system).
ALTER TABLE slot_booking ADD COLUMN slot_start BIGINT;
ALTER TABLE slot_booking ADD COLUMN org_ods TEXT;
ALTER TABLE slot_booking ADD COLUMN org_type TEXT;

UPDATE slot_booking b SET slot_start = s.start_at
FROM slot s WHERE s.practice = b.practice AND s.id = b.slot_id;

-- Bookings made before this migration: the organisation from the stored appointment's
-- contained booking Organization, as a booking records it now.
UPDATE slot_booking b SET
    org_ods = jsonb_path_query_first(a.body::jsonb,
        '$.booking_organization.identifier[*] ? (@.system == "https://fhir.nhs.uk/Id/ods-organization-code").value') #>> '{}',
    org_type = jsonb_path_query_first(a.body::jsonb,
        '$.booking_organization.type[*].coding[*] ? (@.system == "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1").code') #>> '{}'
FROM appointment a
WHERE a.practice = b.practice AND a.id = b.appointment_id
  AND (a.body::jsonb ->> 'booked_via_gp_connect')::boolean;

CREATE INDEX slot_booking_by_start ON slot_booking (practice, slot_start);

-- A booking in one statement, as before (migration 20261122000000), now also recording the
-- organisation it is made for and refusing it when that takes the organisations an access
-- limit covers beyond the limit on one of the booking's UK days (p_day_from[i] to
-- p_day_to[i], Unix seconds). The covering limits are locked (in id order) before counting,
-- so concurrent bookings counted against one limit take turns: each counts what the ones
-- before it committed.
--
-- Errors: as before, and SQLSTATE GPC03 when a limit would be exceeded (the message names it).
DROP FUNCTION book_appointment(TEXT, TEXT, BIGINT, TEXT, BIGINT, BIGINT, TEXT, TEXT, TEXT[]);
CREATE FUNCTION book_appointment(
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
    UPDATE practice SET diary_version = diary_version + 1 WHERE ods = p_practice;
END
$$;
