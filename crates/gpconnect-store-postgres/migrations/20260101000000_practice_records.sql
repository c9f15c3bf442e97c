-- Practice records. Columns that are searched or constrained are typed; the rest of each
-- record is its JSON serialisation in `body` (TEXT, so consumer-sent JSON such as the booking
-- organisation is returned byte for byte). Instants are Unix seconds.

CREATE TABLE practice (
    ods TEXT NOT NULL PRIMARY KEY,
    asid TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    gp_connect_enabled BOOLEAN NOT NULL,
    appointments_enabled BOOLEAN NOT NULL
);

CREATE TABLE organization (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    ods_code TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
);
CREATE INDEX organization_by_ods_code ON organization (practice, ods_code);

CREATE TABLE location (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
);

CREATE TABLE practitioner (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    sds_user_id TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
);
CREATE INDEX practitioner_by_sds_user_id ON practitioner (practice, sds_user_id);

-- SPEC 3.4: one record per NHS number per practice, enforced here so that two concurrent
-- registrations (possibly in two server processes) cannot both create one.
CREATE TABLE patient (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    nhs_number TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    UNIQUE (practice, nhs_number)
);

CREATE TABLE schedule (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
);

-- `status` here is authoritative: booking and cancelling change it without rewriting `body`.
CREATE TABLE slot (
    practice TEXT NOT NULL,
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    schedule_id TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    FOREIGN KEY (practice, schedule_id) REFERENCES schedule (practice, id)
);
-- SPEC 3.10: free-slot search is by practice, status and start.
CREATE INDEX slot_by_status_start ON slot (practice, status, start_at);

CREATE TABLE appointment (
    practice TEXT NOT NULL,
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    patient_id TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    FOREIGN KEY (practice, patient_id) REFERENCES patient (practice, id)
);
-- SPEC 3.15: a patient's appointments by start date.
CREATE INDEX appointment_by_patient_start ON appointment (practice, patient_id, start_at);

-- One row per slot held by a non-cancelled appointment. The primary key is what guarantees a
-- slot is never booked twice, whichever server process books it; cancelling deletes the rows.
CREATE TABLE slot_booking (
    practice TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    PRIMARY KEY (practice, slot_id),
    FOREIGN KEY (practice, slot_id) REFERENCES slot (practice, id),
    FOREIGN KEY (practice, appointment_id) REFERENCES appointment (practice, id)
);
CREATE INDEX slot_booking_by_appointment ON slot_booking (practice, appointment_id);

-- SPEC 2.13: every request is audited, with a sequence number that only goes up.
CREATE TABLE audit_event (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    practice TEXT,
    body TEXT NOT NULL
);
CREATE INDEX audit_event_by_practice ON audit_event (practice, seq);
