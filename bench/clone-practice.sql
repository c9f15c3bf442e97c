-- Copies the demo practice A20047 (directory records, patients and its whole diary, every slot
-- free) to a new practice @ODS@ with ASID @ASID@, so that a benchmark can measure the same
-- searches with many practices hosted. Plain SQL that both back ends' schemas accept; run it
-- with the placeholders substituted (bench/run.sh does).
INSERT INTO practice (ods, asid, organization_id, name, gp_connect_enabled, appointments_enabled)
    SELECT '@ODS@', '@ASID@', organization_id, name || ' (@ODS@)', gp_connect_enabled, appointments_enabled
    FROM practice WHERE ods = 'A20047';
INSERT INTO organization (practice, id, version, ods_code, body)
    SELECT '@ODS@', id, version, ods_code, replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM organization WHERE practice = 'A20047';
INSERT INTO location (practice, id, version, body)
    SELECT '@ODS@', id, version, replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM location WHERE practice = 'A20047';
INSERT INTO practitioner (practice, id, version, sds_user_id, body)
    SELECT '@ODS@', id, version, sds_user_id, replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM practitioner WHERE practice = 'A20047';
INSERT INTO patient (practice, id, version, nhs_number, body)
    SELECT '@ODS@', id, version, nhs_number, replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM patient WHERE practice = 'A20047';
INSERT INTO schedule (practice, id, version, body)
    SELECT '@ODS@', id, version, replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM schedule WHERE practice = 'A20047';
INSERT INTO slot (practice, id, version, schedule_id, start_at, end_at, status, body)
    SELECT '@ODS@', id, version, schedule_id, start_at, end_at, 'free', replace(body, '"practice":"A20047"', '"practice":"@ODS@"')
    FROM slot WHERE practice = 'A20047';
