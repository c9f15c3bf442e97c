-- SPEC 5: organisation access limits. The organisations of the listed types (JSON array of
-- GPConnect-OrganisationType-1 codes) and those with the listed ODS codes (JSON array) may
-- together hold at most slots_per_day slots starting on any one UK day.
CREATE TABLE booking_limit (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    org_types TEXT NOT NULL,
    ods_codes TEXT NOT NULL,
    slots_per_day INTEGER NOT NULL CHECK (slots_per_day >= 0),
    PRIMARY KEY (practice, id)
) STRICT;

-- What the limits count: each booked slot's start, and the organisation the booking was made
-- for (NULL for bookings made on the practice system).
ALTER TABLE slot_booking ADD COLUMN slot_start INTEGER;
ALTER TABLE slot_booking ADD COLUMN org_ods TEXT;
ALTER TABLE slot_booking ADD COLUMN org_type TEXT;

UPDATE slot_booking SET slot_start = (
    SELECT start_at FROM slot
    WHERE slot.practice = slot_booking.practice AND slot.id = slot_booking.slot_id
);

-- Bookings made before this migration: the organisation from the stored appointment's
-- contained booking Organization, as a booking records it now.
UPDATE slot_booking SET
    org_ods = (
        SELECT json_extract(i.value, '$.value')
        FROM appointment a, json_each(a.body, '$.booking_organization.identifier') i
        WHERE a.practice = slot_booking.practice AND a.id = slot_booking.appointment_id
          AND json_extract(a.body, '$.booked_via_gp_connect') = 1
          AND json_extract(i.value, '$.system') = 'https://fhir.nhs.uk/Id/ods-organization-code'
        LIMIT 1
    ),
    org_type = (
        SELECT json_extract(c.value, '$.code')
        FROM appointment a, json_each(a.body, '$.booking_organization.type') t,
             json_each(t.value, '$.coding') c
        WHERE a.practice = slot_booking.practice AND a.id = slot_booking.appointment_id
          AND json_extract(a.body, '$.booked_via_gp_connect') = 1
          AND json_extract(c.value, '$.system')
              = 'https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1'
        LIMIT 1
    );

CREATE INDEX slot_booking_by_start ON slot_booking (practice, slot_start);
