//! Loading the demo data into a real (SQLite) store, and rolling its diary forward.

use gpconnect_demo::fixtures::{PRACTICE_ODS, SECOND_PRACTICE_ODS};
use gpconnect_demo::{
    demo_dataset, extend_demo_diaries, extend_diary, load_demo_if_empty, reset_demo, DemoError,
    DemoScale, DiaryExtension, LocalPds, RESET_METHOD, RESET_PATH,
};
use gpconnect_domain::records::SlotStatus;
use gpconnect_domain::{FhirId, OdsCode, UkDateTime};
use gpconnect_store::contract::{audit_event, new_appointment, patient};
use gpconnect_store::{FreeSlots, Store};
use gpconnect_store_sqlite::SqliteStore;
use jiff::civil::{date, Date};
use jiff::ToSpan;

fn ods(code: &str) -> OdsCode {
    OdsCode::parse(code).expect("valid ODS code")
}

async fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    let store = SqliteStore::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("open SQLite");
    (dir, store)
}

fn today() -> Date {
    date(2026, 3, 27)
}

/// Every free slot of `practice` from `today` for 60 days.
async fn all_free(store: &dyn Store, practice: &str) -> FreeSlots {
    let from = UkDateTime::start_of_uk_day(today());
    let to = UkDateTime::start_of_uk_day(today().checked_add(60.days()).expect("date"));
    store
        .free_slots(&ods(practice), from, to)
        .await
        .expect("free slots")
}

#[tokio::test]
async fn loading_twice_changes_nothing_the_second_time() {
    let (_dir, store) = store().await;
    assert!(load_demo_if_empty(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("first load"));
    let dataset = demo_dataset(today(), DemoScale::DEFAULT);
    let before = all_free(&store, PRACTICE_ODS).await;
    let main_slots = dataset
        .slots
        .iter()
        .filter(|s| s.practice.as_str() == PRACTICE_ODS)
        .count();
    assert_eq!(before.slots.len(), main_slots);
    assert!(!all_free(&store, SECOND_PRACTICE_ODS).await.slots.is_empty());

    assert!(!load_demo_if_empty(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("second load"));
    assert_eq!(all_free(&store, PRACTICE_ODS).await, before);
    let again = extend_demo_diaries(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("extend");
    assert_eq!(again, DiaryExtension::default());
    for p in &dataset.patients {
        let stored = store
            .get_patient(&p.practice, &p.id)
            .await
            .expect("read")
            .expect("present");
        assert_eq!(&stored, p);
    }
}

#[tokio::test]
async fn a_day_later_only_the_new_day_is_added_and_bookings_are_kept() {
    let (_dir, store) = store().await;
    load_demo_if_empty(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("load");
    let practice = ods(PRACTICE_ODS);
    let first = all_free(&store, PRACTICE_ODS).await.slots[0].clone();
    let booked = store
        .book(&new_appointment(PRACTICE_ODS, "1", &[&first]))
        .await
        .expect("book");

    let tomorrow = today().tomorrow().expect("date");
    let added = extend_diary(&store, &practice, tomorrow, DemoScale::DEFAULT)
        .await
        .expect("extend");
    let new_day = tomorrow.checked_add(35.days()).expect("date");
    let expected = demo_dataset(tomorrow, DemoScale::DEFAULT)
        .slots
        .iter()
        .filter(|s| s.practice == practice && s.start.uk_date() == new_day)
        .count();
    assert!(expected > 0);
    let schedules = demo_dataset(tomorrow, DemoScale::DEFAULT).schedules;
    let main_schedules: Vec<_> = schedules
        .iter()
        .filter(|s| s.practice == practice)
        .collect();
    assert_eq!(
        added,
        DiaryExtension {
            schedules_added: 0,
            horizons_moved: main_schedules.len(),
            slots_added: expected
        }
    );
    for s in main_schedules {
        let stored = store
            .get_schedule(&practice, &s.id)
            .await
            .expect("read")
            .expect("present");
        assert_eq!(
            stored.planning_horizon,
            (
                UkDateTime::start_of_uk_day(tomorrow),
                UkDateTime::start_of_uk_day(new_day.tomorrow().expect("date"))
            ),
            "the horizon of schedule {} moved with the diary",
            s.id
        );
        assert_eq!(stored.version, 2);
    }

    let slot = store
        .get_slot(&practice, &first.id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(slot.status, SlotStatus::Busy);
    assert_eq!(slot.version, first.version + 1);
    let appointment = store
        .get_appointment(&practice, &booked.id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(appointment, booked);
    assert_eq!(
        extend_diary(&store, &practice, tomorrow, DemoScale::DEFAULT)
            .await
            .expect("extend again"),
        DiaryExtension::default()
    );
}

#[tokio::test]
async fn a_longer_scale_later_extends_the_existing_schedules() {
    let (_dir, store) = store().await;
    load_demo_if_empty(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("load");
    let longer = DemoScale {
        weeks: 6,
        ..DemoScale::BENCHMARK
    };
    let added = extend_demo_diaries(&store, today(), longer)
        .await
        .expect("extend");
    // The generated clinicians are not in the store, so only the fixture schedules grow,
    // by one week each.
    assert_eq!(added.schedules_added, 0);
    let week: usize = (36..=42)
        .map(|d| today().checked_add(d.days()).expect("date"))
        .map(|day| {
            demo_dataset(today(), longer)
                .slots
                .iter()
                .filter(|s| {
                    s.start.uk_date() == day
                        && (s.practice.as_str() == SECOND_PRACTICE_ODS
                            || !s.schedule.as_str().starts_with('s'))
                })
                .count()
        })
        .sum();
    assert_eq!(added.slots_added, week);
}

#[tokio::test]
async fn extending_an_unknown_or_missing_practice_is_an_error() {
    let (_dir, store) = store().await;
    let err = extend_diary(&store, &ods(PRACTICE_ODS), today(), DemoScale::DEFAULT)
        .await
        .expect_err("not loaded");
    assert!(matches!(err, DemoError::PracticeNotLoaded(_)), "{err}");
    let err = extend_diary(&store, &ods("B81016"), today(), DemoScale::DEFAULT)
        .await
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "there is no demo diary for practice B81016"
    );
    // Nothing is loaded, so there is nothing to extend.
    assert_eq!(
        extend_demo_diaries(&store, today(), DemoScale::DEFAULT)
            .await
            .expect("no-op"),
        DiaryExtension::default()
    );
}

#[tokio::test]
async fn resetting_brings_back_a_fresh_demo_and_keeps_the_audit_trail() {
    let (_dir, store) = store().await;
    load_demo_if_empty(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("load");
    let practice = ods(PRACTICE_ODS);
    let first = all_free(&store, PRACTICE_ODS).await.slots[0].clone();
    let booked = store
        .book(&new_appointment(PRACTICE_ODS, "1", &[&first]))
        .await
        .expect("book");
    let candidate = LocalPds::new()
        .registration_candidates()
        .next()
        .expect("a person to register")
        .nhs_number
        .clone();
    let registered = patient(PRACTICE_ODS, "reg-1", candidate.as_str());
    store.insert_patient(&registered).await.expect("register");
    let seq = store
        .append_audit(&audit_event(Some(PRACTICE_ODS), 200))
        .await
        .expect("audit");

    let tomorrow = today().tomorrow().expect("date");
    reset_demo(&store, tomorrow, DemoScale::DEFAULT)
        .await
        .expect("reset");

    assert_eq!(
        store
            .get_appointment(&practice, &booked.id)
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .get_patient(&practice, &registered.id)
            .await
            .expect("read"),
        None
    );
    let fresh = demo_dataset(tomorrow, DemoScale::DEFAULT);
    for p in &fresh.patients {
        assert_eq!(
            store
                .get_patient(&p.practice, &p.id)
                .await
                .expect("read")
                .as_ref(),
            Some(p)
        );
    }
    for s in &fresh.schedules {
        assert_eq!(
            store
                .get_schedule(&s.practice, &s.id)
                .await
                .expect("read")
                .as_ref(),
            Some(s),
            "schedules start again at version 1 with tomorrow's horizon"
        );
    }
    assert_eq!(
        store.get_slot(&practice, &first.id).await.expect("read"),
        None,
        "today's slots are not in a diary that starts tomorrow"
    );
    let from = UkDateTime::start_of_uk_day(tomorrow);
    let to = UkDateTime::start_of_uk_day(tomorrow.checked_add(60.days()).expect("date"));
    let free = store.free_slots(&practice, from, to).await.expect("free");
    assert_eq!(
        free.slots.len(),
        fresh
            .slots
            .iter()
            .filter(|s| s.practice == practice)
            .count(),
        "every slot of the fresh diary is free"
    );
    assert!(
        store
            .find_patient_by_nhs_number(&practice, &candidate)
            .await
            .expect("find")
            .is_none(),
        "the registered patient can register again"
    );

    let audit = store.audit_events(None, 10).await.expect("audit");
    assert_eq!(audit.len(), 2, "the old event and the reset: {audit:?}");
    assert_eq!(audit[1].seq, seq);
    assert_eq!(audit[0].method, RESET_METHOD);
    assert_eq!(audit[0].path, RESET_PATH);
    assert!(audit[0].seq > seq);
}

#[tokio::test]
async fn resetting_an_empty_store_loads_the_demo() {
    let (_dir, store) = store().await;
    reset_demo(&store, today(), DemoScale::DEFAULT)
        .await
        .expect("reset");
    // The store gives each practice its diary version; everything else is the demo's.
    let loaded: Vec<_> = store
        .practices()
        .await
        .expect("list")
        .into_iter()
        .map(|p| gpconnect_domain::records::Practice {
            diary_version: 0,
            ..p
        })
        .collect();
    assert_eq!(loaded, demo_dataset(today(), DemoScale::DEFAULT).practices);
    assert!(store
        .get_slot(
            &ods(SECOND_PRACTICE_ODS),
            &FhirId::parse(&format!("1-{}0900", today().strftime("%Y%m%d"))).expect("id")
        )
        .await
        .expect("read")
        .is_some());
}
