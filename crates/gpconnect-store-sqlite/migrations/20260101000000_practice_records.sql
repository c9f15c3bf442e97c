-- Practice records. Columns that are searched or constrained are typed; the rest of each
-- record is its JSON serialisation in `body`. Instants are Unix seconds.

CREATE TABLE practice (
    ods TEXT NOT NULL PRIMARY KEY,
    asid TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    gp_connect_enabled INTEGER NOT NULL,
    appointments_enabled INTEGER NOT NULL
) STRICT;

CREATE TABLE organization (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    ods_code TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
) STRICT;
CREATE INDEX organization_by_ods_code ON organization (practice, ods_code);

CREATE TABLE location (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
) STRICT;

CREATE TABLE practitioner (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sds_user_id TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
) STRICT;
CREATE INDEX practitioner_by_sds_user_id ON practitioner (practice, sds_user_id);

-- SPEC 3.4: one record per NHS number per practice, enforced here so that two concurrent
-- registrations cannot both create one.
CREATE TABLE patient (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    nhs_number TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    UNIQUE (practice, nhs_number)
) STRICT;

CREATE TABLE schedule (
    practice TEXT NOT NULL REFERENCES practice (ods),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id)
) STRICT;

-- `status` here is authoritative: booking and cancelling change it without rewriting `body`.
CREATE TABLE slot (
    practice TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    schedule_id TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    FOREIGN KEY (practice, schedule_id) REFERENCES schedule (practice, id)
) STRICT;
-- SPEC 3.10: free-slot search is by practice, status and start.
CREATE INDEX slot_by_status_start ON slot (practice, status, start_at);

CREATE TABLE appointment (
    practice TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    patient_id TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (practice, id),
    FOREIGN KEY (practice, patient_id) REFERENCES patient (practice, id)
) STRICT;
-- SPEC 3.15: a patient's appointments by start date.
CREATE INDEX appointment_by_patient_start ON appointment (practice, patient_id, start_at);

-- One row per slot held by a non-cancelled appointment. The primary key is what guarantees a
-- slot is never booked twice; cancelling deletes the rows.
CREATE TABLE slot_booking (
    practice TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    PRIMARY KEY (practice, slot_id),
    FOREIGN KEY (practice, slot_id) REFERENCES slot (practice, id),
    FOREIGN KEY (practice, appointment_id) REFERENCES appointment (practice, id)
) STRICT;
CREATE INDEX slot_booking_by_appointment ON slot_booking (practice, appointment_id);

-- SPEC 2.13: every request is audited; AUTOINCREMENT never reuses a sequence number.
CREATE TABLE audit_event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    practice TEXT,
    body TEXT NOT NULL
) STRICT;
CREATE INDEX audit_event_by_practice ON audit_event (practice, seq);
