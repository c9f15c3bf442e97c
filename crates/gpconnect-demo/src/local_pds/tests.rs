use std::fs;

use gpconnect_domain::pds::{verify, LocalDemographics, Verification};
use gpconnect_domain::records::Gender;

use super::*;
use crate::fixtures::fixture_patient;

fn nhs(s: &str) -> NhsNumber {
    NhsNumber::parse(s).expect("valid NHS number")
}

async fn lookup(pds: &LocalPds, number: &str) -> Option<PdsRecord> {
    pds.retrieve(&nhs(number)).await.expect("available")
}

fn verify_fixture(pds: &LocalPds, key: &str) -> Verification {
    let p = fixture_patient(key).expect("fixture");
    let given = vec![p.given.to_owned()];
    let local = LocalDemographics {
        family: p.family,
        given: &given,
        birth_date: p.birth_date,
    };
    verify(&local, pds.get(&nhs(p.nhs_number)))
}

#[tokio::test]
async fn demo_patients_are_on_pds_with_the_practice_demographics() {
    let pds = LocalPds::new();
    let p = fixture_patient("patient1").expect("fixture");
    let r = lookup(&pds, p.nhs_number).await.expect("on PDS");
    assert_eq!(r.family, p.family);
    assert_eq!(r.given, vec![p.given.to_owned()]);
    assert_eq!(r.birth_date, p.birth_date);
    assert_eq!(r.gender, p.gender);
    assert_eq!(
        r.registered_practice_ods.as_ref().map(|o| o.as_str()),
        Some(PRACTICE_ODS)
    );
    for key in [
        "patient1",
        "patient2",
        "patient13",
        "patient15",
        "patientNoAppointments",
    ] {
        assert_eq!(verify_fixture(&pds, key), Verification::Verified, "{key}");
    }
}

#[tokio::test]
async fn the_suites_special_cases_verify_as_the_suite_expects() {
    let pds = LocalPds::new();
    assert_eq!(verify_fixture(&pds, "patient9"), Verification::Sensitive);
    assert_eq!(verify_fixture(&pds, "patient10"), Verification::Sensitive);
    assert_eq!(
        verify_fixture(&pds, "patient11"),
        Verification::Superseded {
            by: Some(nhs(crate::fixtures::PATIENT11_REPLACEMENT))
        }
    );
    assert_eq!(verify_fixture(&pds, "patient14"), Verification::NotOnPds);
    assert_eq!(verify_fixture(&pds, "patient18"), Verification::Deceased);
    assert_eq!(lookup(&pds, "9476718943").await, None);
    assert_eq!(
        lookup(&pds, crate::fixtures::PATIENT_NOT_IN_SYSTEM).await,
        None
    );
}

#[tokio::test]
async fn registration_pool_is_on_pds_and_registrable() {
    let pds = LocalPds::new();
    let candidates: Vec<_> = pds.registration_candidates().collect();
    assert!(candidates.len() >= 300, "{}", candidates.len());
    let first = candidates[0].clone();
    let found = lookup(&pds, first.nhs_number.as_str())
        .await
        .expect("on PDS");
    let local = LocalDemographics {
        family: &found.family,
        given: &found.given,
        birth_date: found.birth_date,
    };
    assert_eq!(verify(&local, Some(&found)), Verification::Verified);
    assert!(candidates
        .iter()
        .all(|c| fixture_patient_by_number(c.nhs_number.as_str()).is_none()));
}

fn fixture_patient_by_number(n: &str) -> Option<&'static FixturePatient> {
    FIXTURE_PATIENTS.iter().find(|p| p.nhs_number == n)
}

#[tokio::test]
async fn switched_off_service_reports_unavailable() {
    let pds = LocalPds::new();
    pds.set_available(false);
    let err = pds.retrieve(&nhs("9658218865")).await;
    assert!(matches!(err, Err(PdsError::Unavailable(_))));
    pds.set_available(true);
    assert!(pds.retrieve(&nhs("9658218865")).await.is_ok());
}

const REGISTER_CSV: &str = "\
SPINE_NHS_NUMBER,NAME_FAMILY,NAME_GIVEN,GENDER,DOB
9651258500,ARKWRIGHT,Nell,FEMALE,1951-03-10
9651258519,BOSWORTH,Tam,MALE,1937-03-11
";

const PDS_CSV: &str = "\
NHS_NUMBER,DATE_OF_BIRTH,DATE_OF_DEATH,FAMILY_NAME,GIVEN_NAME,OTHER_GIVEN_NAME,TITLE,ADDR1,ADDR2,ADDR3,ADDR4,ADDR5,POST_CODE,SENSITIVE_FLAG,PRIMARY_CARE_CODE
9476719915,13/06/1952,,QUILLER,Rue,,MS,,10 Lark Rise,,Selby,N Yorks,YO8 9ZZ,,A21472
9476719974,02/07/1992,10/07/2007,MARLOW,Ivo,Jon,MR,Farm House,,,,,,,A21472
9476113162,02/11/1953,,TREWIN,Bea,,MS,,,,,,,S,
9651258519,11/03/1937,,BOSWORTH,Tam,Rolf,MR,,,,,,,,
";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, body) in files {
        fs::write(dir.path().join(name), body).expect("write csv");
    }
    dir
}

#[tokio::test]
async fn load_dir_adds_the_suites_files_to_the_built_in_records() {
    let dir = folder(&[(REGISTER_PATIENTS_FILE, REGISTER_CSV), (PDS_FILE, PDS_CSV)]);
    let pds = LocalPds::load_dir(dir.path()).expect("loads");
    assert_eq!(pds.len(), LocalPds::new().len() + 5);

    let nell = lookup(&pds, "9651258500").await.expect("registered row");
    assert_eq!(nell.family, "ARKWRIGHT");
    assert_eq!(nell.given, vec!["Nell".to_owned()]);
    assert_eq!(nell.gender, Gender::Female);
    assert_eq!(nell.birth_date, jiff::civil::date(1951, 3, 10));
    assert!(pds
        .registration_candidates()
        .any(|r| r.nhs_number.as_str() == "9651258500"));

    let rue = lookup(&pds, "9476719915").await.expect("PDS row");
    assert_eq!(rue.birth_date, jiff::civil::date(1952, 6, 13));
    assert_eq!(rue.prefix.as_deref(), Some("MS"));
    let address = rue.address.expect("address");
    assert_eq!(address.lines, vec!["10 Lark Rise"]);
    assert_eq!(address.city.as_deref(), Some("Selby"));
    assert_eq!(address.district.as_deref(), Some("N Yorks"));
    assert_eq!(address.postal_code.as_deref(), Some("YO8 9ZZ"));
    assert_eq!(
        rue.registered_practice_ods.as_ref().map(|o| o.as_str()),
        Some("A21472")
    );

    let ivo = lookup(&pds, "9476719974").await.expect("PDS row");
    assert_eq!(
        ivo.deceased,
        Some(PdsDeceased::On(jiff::civil::date(2007, 7, 10)))
    );
    assert_eq!(ivo.given, vec!["Ivo".to_owned(), "Jon".to_owned()]);
    let bea = lookup(&pds, "9476113162").await.expect("PDS row");
    assert!(bea.sensitive);
    assert_eq!(bea.address, None);
    assert_eq!(bea.registered_practice_ods, None);

    // PDS.csv wins over RegisterPatients.csv for the same number.
    let tam = lookup(&pds, "9651258519").await.expect("both files");
    assert_eq!(tam.given, vec!["Tam".to_owned(), "Rolf".to_owned()]);
    // Built-ins are still there.
    assert!(lookup(&pds, "9658218865").await.is_some());
}

#[test]
fn load_dir_accepts_a_single_file_and_a_byte_order_mark() {
    let with_bom = format!("\u{feff}{REGISTER_CSV}");
    let dir = folder(&[(REGISTER_PATIENTS_FILE, &with_bom)]);
    let pds = LocalPds::load_dir(dir.path()).expect("loads");
    assert!(pds.get(&nhs("9651258500")).is_some());
}

fn load_error(files: &[(&str, &str)]) -> String {
    let dir = folder(files);
    LocalPds::load_dir(dir.path())
        .expect_err("must fail")
        .to_string()
}

#[test]
fn bad_rows_name_the_file_and_line() {
    let bad_nhs = REGISTER_CSV.replace("9651258519", "9651258518");
    let msg = load_error(&[(REGISTER_PATIENTS_FILE, &bad_nhs)]);
    assert!(msg.contains("RegisterPatients.csv line 3"), "{msg}");
    assert!(msg.contains("9651258518"), "{msg}");

    let bad_gender = REGISTER_CSV.replace("MALE,1937", "BLOKE,1937");
    let msg = load_error(&[(REGISTER_PATIENTS_FILE, &bad_gender)]);
    assert!(
        msg.contains("line 3") && msg.contains("GENDER 'BLOKE'"),
        "{msg}"
    );

    let bad_date = PDS_CSV.replace("13/06/1952", "1952-06-13");
    let msg = load_error(&[(PDS_FILE, &bad_date)]);
    assert!(msg.contains("PDS.csv line 2"), "{msg}");
    assert!(msg.contains("dd/mm/yyyy"), "{msg}");

    let short_row = format!("{REGISTER_CSV}9651258527,CUTOFF,Al\n");
    let msg = load_error(&[(REGISTER_PATIENTS_FILE, &short_row)]);
    assert!(msg.contains("RegisterPatients.csv line 4"), "{msg}");

    let no_family = REGISTER_CSV.replace("ARKWRIGHT", "");
    let msg = load_error(&[(REGISTER_PATIENTS_FILE, &no_family)]);
    assert!(msg.contains("line 2: NAME_FAMILY is empty"), "{msg}");

    let bad_ods = PDS_CSV.replace("A21472", "a21472");
    let msg = load_error(&[(PDS_FILE, &bad_ods)]);
    assert!(
        msg.contains("PDS.csv line 2") && msg.contains("PRIMARY_CARE_CODE"),
        "{msg}"
    );
}

#[test]
fn wrong_header_or_folder_is_a_clear_error() {
    let msg = load_error(&[(
        REGISTER_PATIENTS_FILE,
        "NHS,FAMILY,GIVEN,GENDER,DOB\n9651258500,A,B,MALE,1951-03-10\n",
    )]);
    assert!(
        msg.contains("RegisterPatients.csv line 1: missing column SPINE_NHS_NUMBER"),
        "{msg}"
    );

    let msg = load_error(&[("Other.csv", "x\n")]);
    assert!(
        msg.contains("holds neither RegisterPatients.csv nor PDS.csv"),
        "{msg}"
    );

    let msg = LocalPds::load_dir(Path::new("/nonexistent/gpconnect/data"))
        .expect_err("must fail")
        .to_string();
    assert!(
        msg.contains("cannot read /nonexistent/gpconnect/data"),
        "{msg}"
    );
}
