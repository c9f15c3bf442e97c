//! The rolling appointment diary of the demo practices (SPEC 3.10, 5; ATS 1.8 "Schedules and
//! slots").
//!
//! Every schedule follows a weekly pattern of sessions. Slots exist for every day, weekends
//! included (the assurance suite searches "day + 2" whatever the weekday), from today to
//! [`DemoScale::weeks`] weeks ahead. A slot's id is derived from its schedule and its local
//! start time, so [`extend_diary`] can run at start-up and then daily, adding the days that are
//! missing without touching slots that exist (and may be booked). A schedule's planning horizon
//! runs from the start of today to the end of the last diary day, and moves with the diary.
//!
//! Times are built from a civil date and a local time in Europe/London, so a 09:00 slot is
//! `09:00:00+00:00` in winter and `09:00:00+01:00` in summer (SPEC 2.10).

use gpconnect_domain::records::{
    BookingWindow, Coding, DeliveryChannel, OrgType, ScheduleRecord, SlotRecord, SlotStatus,
};
use gpconnect_domain::time::uk_zone;
use gpconnect_domain::{FhirId, OdsCode, UkDateTime};
use gpconnect_store::{Store, StoreError};
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::fixtures::{PRACTICE_ODS, SECOND_PRACTICE_ODS};
use crate::DemoError;

/// The code system of schedule practitioner roles (SPEC 5: mandatory, from
/// `GPConnect-PractitionerRole-1`).
pub const SDS_JOB_ROLE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1";

/// How large the demo diary is: the number of clinicians with a schedule at the main demo
/// practice, and how many weeks ahead slots are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoScale {
    /// Clinicians with a schedule at `A20047`. Never fewer than the eight fixture clinicians;
    /// any beyond them are generated general practitioners.
    pub clinicians: u32,
    /// Weeks of slots after today. Never fewer than four (ATS 1.8: the suite books up to 14
    /// days ahead and its teardown looks 30 days ahead).
    pub weeks: u32,
}

impl DemoScale {
    /// The fixture clinicians, five weeks ahead.
    pub const DEFAULT: Self = Self {
        clinicians: FIXTURE_CLINICIANS,
        weeks: 5,
    };
    /// A larger diary for benchmarks: 20 clinicians, eight weeks ahead.
    pub const BENCHMARK: Self = Self {
        clinicians: 20,
        weeks: 8,
    };

    /// The number of clinicians actually used.
    pub fn effective_clinicians(self) -> u32 {
        self.clinicians.max(FIXTURE_CLINICIANS)
    }

    /// The last day with slots, counted from today.
    pub fn days_ahead(self) -> i32 {
        7 * self.weeks.clamp(4, 520) as i32
    }
}

impl Default for DemoScale {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The clinicians of the main demo practice that the fixtures define.
pub(crate) const FIXTURE_CLINICIANS: u32 = 8;

/// What [`extend_diary`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiaryExtension {
    /// Demo schedules that were missing and were added.
    pub schedules_added: usize,
    /// Existing schedules whose planning horizon moved forward with the diary.
    pub horizons_moved: usize,
    /// Slots of missing diary days that were added.
    pub slots_added: usize,
}

/// Which days a session runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Days {
    Every,
    Weekdays,
    Weekends,
}

impl Days {
    fn includes(self, day: Date) -> bool {
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        match self {
            Self::Every => true,
            Self::Weekdays => !weekend,
            Self::Weekends => weekend,
        }
    }
}

/// Who may book a session's slots (SPEC 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Any organisation, through GP Connect.
    Open,
    /// Only at the practice itself: not GP Connect bookable.
    PracticeOnly,
    /// Only organisations of these types.
    Types(&'static [OrgType]),
    /// Only these organisations.
    Codes(&'static [&'static str]),
    /// Anyone, but only on the day itself and at least `lead` minutes ahead.
    SameDay { lead: i64 },
}

/// A run of back-to-back slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Session {
    days: Days,
    /// Local start of the first slot.
    start: (i8, i8),
    count: u16,
    minutes: i64,
    channel: DeliveryChannel,
    /// Practice slot type (`Slot.serviceType.text`, SPEC 6.1).
    service_type: &'static str,
    access: Access,
}

const fn session(
    days: Days,
    start: (i8, i8),
    count: u16,
    minutes: i64,
    channel: DeliveryChannel,
    service_type: &'static str,
    access: Access,
) -> Session {
    Session {
        days,
        start,
        count,
        minutes,
        channel,
        service_type,
        access,
    }
}

use Access::{Codes, Open, PracticeOnly, SameDay, Types};
use Days::{Every, Weekdays, Weekends};
use DeliveryChannel::{InPerson, Telephone, Video};

/// A neighbouring practice some slots are kept for (the second demo practice).
const NEIGHBOURS: &[&str] = &[SECOND_PRACTICE_ODS];
const GP_PRACTICES: &[OrgType] = &[OrgType::GpPractice];

const GP_SESSIONS: &[Session] = &[
    session(
        Weekdays,
        (8, 30),
        12,
        10,
        InPerson,
        "Routine appointment",
        Open,
    ),
    session(
        Weekdays,
        (10, 30),
        3,
        10,
        Telephone,
        "Telephone consultation",
        Open,
    ),
    session(
        Weekdays,
        (11, 0),
        2,
        10,
        InPerson,
        "Urgent on-the-day",
        SameDay { lead: 30 },
    ),
    session(Weekdays, (14, 0), 6, 10, Video, "Video consultation", Open),
    session(
        Weekdays,
        (15, 0),
        2,
        10,
        InPerson,
        "Routine appointment",
        PracticeOnly,
    ),
    session(
        Weekdays,
        (15, 30),
        2,
        10,
        InPerson,
        "Routine appointment",
        Types(GP_PRACTICES),
    ),
    session(
        Weekdays,
        (16, 0),
        2,
        10,
        Telephone,
        "Telephone consultation",
        Codes(NEIGHBOURS),
    ),
    session(
        Weekends,
        (9, 0),
        6,
        10,
        InPerson,
        "Weekend routine appointment",
        Open,
    ),
    session(
        Weekends,
        (10, 0),
        2,
        10,
        Telephone,
        "Telephone consultation",
        Open,
    ),
];
const REGISTRAR_SESSIONS: &[Session] = &[
    session(
        Weekdays,
        (9, 0),
        8,
        20,
        InPerson,
        "Routine appointment",
        Open,
    ),
    session(Weekdays, (14, 0), 4, 20, Video, "Video consultation", Open),
];
const EXTENDED_HOURS_SESSIONS: &[Session] = &[
    session(
        Every,
        (18, 30),
        6,
        15,
        InPerson,
        "Extended hours appointment",
        Open,
    ),
    session(
        Weekends,
        (9, 0),
        8,
        15,
        InPerson,
        "Extended hours appointment",
        Open,
    ),
];
const NURSE_SESSIONS: &[Session] = &[
    session(Weekdays, (9, 0), 8, 15, InPerson, "Nurse appointment", Open),
    session(
        Weekdays,
        (13, 30),
        4,
        20,
        InPerson,
        "Long-term condition review",
        Types(GP_PRACTICES),
    ),
];
const HCA_SESSIONS: &[Session] = &[session(
    Weekdays,
    (8, 0),
    10,
    10,
    InPerson,
    "Blood test",
    Open,
)];
const PHARMACIST_SESSIONS: &[Session] = &[session(
    Weekdays,
    (10, 0),
    6,
    15,
    Telephone,
    "Medication review",
    Open,
)];
/// Half-hourly telephone triage from 08:00 to 21:30 every day, so that a search from today
/// finds slots later the same day.
const TRIAGE_SESSIONS: &[Session] = &[session(
    Every,
    (8, 0),
    28,
    30,
    Telephone,
    "Telephone triage",
    Open,
)];

/// One schedule of a demo practice and the pattern its slots follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchedulePlan {
    pub id: String,
    pub location: &'static str,
    pub practitioner: Option<String>,
    pub role: (&'static str, &'static str),
    /// Schedule type / session name (`Schedule.serviceCategory.text`, SPEC 6.1).
    pub category: &'static str,
    sessions: &'static [Session],
}

const GP: (&str, &str) = ("R0260", "General Medical Practitioner");
const SALARIED_GP: (&str, &str) = ("R0270", "Salaried General Practitioner");
const STAFF_NURSE: (&str, &str) = ("R0620", "Staff Nurse");
const HCA: (&str, &str) = ("R1480", "Healthcare Assistant");
const PHARMACIST: (&str, &str) = ("R1290", "Pharmacist");
const GP_REGISTRAR: (&str, &str) = ("R6200", "GP Registrar");

/// Locations the generated clinicians of a larger [`DemoScale`] work at, in turn.
const EXTRA_CLINICIAN_LOCATIONS: [&str; 4] = ["1", "8", "3", "4"];

fn plan(
    id: &str,
    location: &'static str,
    practitioner: Option<&str>,
    role: (&'static str, &'static str),
    category: &'static str,
    sessions: &'static [Session],
) -> SchedulePlan {
    SchedulePlan {
        id: id.to_owned(),
        location,
        practitioner: practitioner.map(str::to_owned),
        role,
        category,
        sessions,
    }
}

/// The schedules of the demo practice `ods`, or `None` for any other practice.
pub(crate) fn schedule_plans(ods: &str, scale: DemoScale) -> Option<Vec<SchedulePlan>> {
    match ods {
        PRACTICE_ODS => {
            let mut plans = vec![
                plan("1", "1", Some("1"), GP, "GP surgery", GP_SESSIONS),
                plan("2", "1", Some("2"), GP, "GP surgery", GP_SESSIONS),
                plan("3", "8", Some("3"), GP, "Branch GP surgery", GP_SESSIONS),
                plan(
                    "4",
                    "3",
                    Some("4"),
                    SALARIED_GP,
                    "Extended hours",
                    EXTENDED_HOURS_SESSIONS,
                ),
                plan(
                    "5",
                    "1",
                    Some("5"),
                    STAFF_NURSE,
                    "Nurse clinic",
                    NURSE_SESSIONS,
                ),
                plan("6", "1", Some("6"), HCA, "Phlebotomy clinic", HCA_SESSIONS),
                plan(
                    "7",
                    "8",
                    Some("7"),
                    PHARMACIST,
                    "Pharmacist clinic",
                    PHARMACIST_SESSIONS,
                ),
                plan(
                    "8",
                    "4",
                    Some("8"),
                    GP_REGISTRAR,
                    "GP registrar surgery",
                    REGISTRAR_SESSIONS,
                ),
                // A rota with no named clinician (SPEC 3.10: the practitioner actor is optional).
                plan(
                    "9",
                    "1",
                    None,
                    GP,
                    "Duty doctor telephone triage",
                    TRIAGE_SESSIONS,
                ),
            ];
            for k in FIXTURE_CLINICIANS + 1..=scale.effective_clinicians() {
                let location =
                    EXTRA_CLINICIAN_LOCATIONS[k as usize % EXTRA_CLINICIAN_LOCATIONS.len()];
                plans.push(SchedulePlan {
                    id: format!("s{k}"),
                    location,
                    practitioner: Some(k.to_string()),
                    role: GP,
                    category: "GP surgery",
                    sessions: GP_SESSIONS,
                });
            }
            Some(plans)
        }
        SECOND_PRACTICE_ODS => Some(vec![
            plan("1", "1", Some("1"), GP, "GP surgery", GP_SESSIONS),
            plan(
                "2",
                "1",
                Some("2"),
                STAFF_NURSE,
                "Nurse clinic",
                NURSE_SESSIONS,
            ),
        ]),
        _ => None,
    }
}

/// Extra (generated) clinicians' practitioner ids at the main practice for `scale`.
pub(crate) fn extra_clinicians(scale: DemoScale) -> impl Iterator<Item = u32> {
    FIXTURE_CLINICIANS + 1..=scale.effective_clinicians()
}

/// The UK instant of `minutes` after midnight local time on `day` (SPEC 2.10), or `None` past
/// the end of the day.
fn uk_instant(day: Date, minutes: i64) -> Option<UkDateTime> {
    if !(0..24 * 60).contains(&minutes) {
        return None;
    }
    let zoned = day
        .at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
        .to_zoned(uk_zone().clone())
        .ok()?;
    Some(UkDateTime::from_timestamp(zoned.timestamp()))
}

/// The id of the slot of `schedule` starting at local `minutes` after midnight on `day`.
pub fn slot_id(schedule: &str, day: Date, minutes: i64) -> Option<FhirId> {
    FhirId::parse(&format!(
        "{schedule}-{}{:02}{:02}",
        day.strftime("%Y%m%d"),
        minutes / 60,
        minutes % 60
    ))
    .ok()
}

impl SchedulePlan {
    /// The schedule record, its planning horizon covering the diary days of `today`.
    pub(crate) fn record(
        &self,
        practice: &OdsCode,
        today: Date,
        scale: DemoScale,
    ) -> Option<ScheduleRecord> {
        Some(ScheduleRecord {
            practice: practice.clone(),
            id: FhirId::parse(&self.id).ok()?,
            version: 1,
            location: FhirId::parse(self.location).ok()?,
            practitioner: match &self.practitioner {
                Some(p) => Some(FhirId::parse(p).ok()?),
                None => None,
            },
            practitioner_role: Coding::new(SDS_JOB_ROLE_SYSTEM, self.role.0, self.role.1),
            service_category: Some(self.category.to_owned()),
            planning_horizon: planning_horizon(today, scale)?,
        })
    }

    /// The slots of this schedule on `day`, in start order.
    pub(crate) fn day_slots(&self, practice: &OdsCode, day: Date) -> Vec<SlotRecord> {
        let Ok(schedule) = FhirId::parse(&self.id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for s in self.sessions.iter().filter(|s| s.days.includes(day)) {
            let first = i64::from(s.start.0) * 60 + i64::from(s.start.1);
            for k in 0..i64::from(s.count) {
                let from = first + k * s.minutes;
                let (Some(start), Some(end), Some(id)) = (
                    uk_instant(day, from),
                    uk_instant(day, from + s.minutes),
                    slot_id(&self.id, day, from),
                ) else {
                    continue;
                };
                let (gpc_bookable, types, codes, window) = match s.access {
                    Open => (true, Vec::new(), Vec::new(), None),
                    PracticeOnly => (false, Vec::new(), Vec::new(), None),
                    Types(t) => (true, t.to_vec(), Vec::new(), None),
                    Codes(c) => (
                        true,
                        Vec::new(),
                        c.iter().filter_map(|c| OdsCode::parse(c).ok()).collect(),
                        None,
                    ),
                    SameDay { lead } => (
                        true,
                        Vec::new(),
                        Vec::new(),
                        Some(BookingWindow {
                            min_lead_minutes: lead,
                            max_days_ahead: 0,
                        }),
                    ),
                };
                out.push(SlotRecord {
                    practice: practice.clone(),
                    id,
                    version: 1,
                    schedule: schedule.clone(),
                    start,
                    end,
                    status: SlotStatus::Free,
                    delivery_channel: s.channel,
                    service_type: Some(s.service_type.to_owned()),
                    gpc_bookable,
                    restrict_org_types: types,
                    restrict_ods_codes: codes,
                    booking_window: window,
                });
            }
        }
        out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        out
    }
}

/// The planning horizon of every demo schedule: from the start of `today` to the end of the
/// last diary day, so that it covers exactly the days [`diary_days`] publishes.
fn planning_horizon(today: Date, scale: DemoScale) -> Option<(UkDateTime, UkDateTime)> {
    let after_last = today.checked_add((scale.days_ahead() + 1).days()).ok()?;
    Some((
        UkDateTime::start_of_uk_day(today),
        UkDateTime::start_of_uk_day(after_last),
    ))
}

/// The days that carry slots: today and the following [`DemoScale::days_ahead`] days.
pub(crate) fn diary_days(today: Date, scale: DemoScale) -> impl Iterator<Item = Date> {
    (0..=scale.days_ahead()).filter_map(move |d| today.checked_add(d.days()).ok())
}

/// Adds to `store` the demo diary days of `practice` that are missing, from `today` to
/// [`DemoScale::days_ahead`] days later, and any demo schedule that is missing while its
/// location and practitioner are there, and moves each existing demo schedule's planning
/// horizon to cover those days (a new schedule version). Existing slots, free or booked, are
/// left alone; running it twice changes nothing the second time.
///
/// The missing slots are added in one transaction. A day counts as present for a schedule when
/// its last slot exists. Schedules of a larger [`DemoScale`] than the store was loaded with are
/// added only once their practitioner exists, i.e. after reloading the demo data.
pub async fn extend_diary(
    store: &dyn Store,
    practice: &OdsCode,
    today: Date,
    scale: DemoScale,
) -> Result<DiaryExtension, DemoError> {
    let plans = schedule_plans(practice.as_str(), scale)
        .ok_or_else(|| DemoError::UnknownPractice(practice.to_string()))?;
    if store.get_practice(practice).await?.is_none() {
        return Err(DemoError::PracticeNotLoaded(practice.to_string()));
    }
    let mut added = DiaryExtension::default();
    let mut missing = Vec::new();
    for plan in &plans {
        let Some(schedule) = plan.record(practice, today, scale) else {
            continue;
        };
        match store.get_schedule(practice, &schedule.id).await? {
            Some(stored) => {
                if move_horizon(store, stored, schedule.planning_horizon).await? {
                    added.horizons_moved += 1;
                }
            }
            None => {
                if !actors_present(store, practice, &schedule).await? {
                    continue;
                }
                match store.insert_schedule(&schedule).await {
                    Ok(_) => added.schedules_added += 1,
                    Err(StoreError::Duplicate) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        for day in diary_days(today, scale) {
            let slots = plan.day_slots(practice, day);
            let Some(last) = slots.last() else {
                continue;
            };
            if store.get_slot(practice, &last.id).await?.is_some() {
                continue;
            }
            missing.extend(slots);
        }
    }
    // One transaction for every missing day: with synchronous=FULL each SQLite commit waits
    // for the disk, so catching up several days slot by slot would be slow. Slots that exist
    // (a partly added day) are left alone.
    added.slots_added = store.insert_slots(&missing).await?;
    if added != DiaryExtension::default() {
        tracing::info!(
            practice = %practice,
            schedules = added.schedules_added,
            horizons = added.horizons_moved,
            slots = added.slots_added,
            "extended the demo diary"
        );
    }
    Ok(added)
}

/// How often [`move_horizon`] re-reads a schedule that another process changed meanwhile.
const HORIZON_ATTEMPTS: usize = 3;

/// Gives `stored` the planning horizon `horizon` unless it has it already; returns whether it
/// changed. Another instance extending the same diary at the same moment makes the update
/// stale: the schedule is read again and, if still needed, updated again.
async fn move_horizon(
    store: &dyn Store,
    mut stored: ScheduleRecord,
    horizon: (UkDateTime, UkDateTime),
) -> Result<bool, StoreError> {
    let mut attempts = 0;
    loop {
        if stored.planning_horizon == horizon {
            return Ok(false);
        }
        let version = stored.version;
        let moved = ScheduleRecord {
            planning_horizon: horizon,
            ..stored
        };
        match store.update_schedule(&moved, version).await {
            Ok(_) => return Ok(true),
            Err(StoreError::VersionConflict { .. }) if attempts + 1 < HORIZON_ATTEMPTS => {
                attempts += 1;
                match store.get_schedule(&moved.practice, &moved.id).await? {
                    Some(again) => stored = again,
                    None => return Ok(false),
                }
            }
            Err(e) => return Err(e),
        }
    }
}

async fn actors_present(
    store: &dyn Store,
    practice: &OdsCode,
    schedule: &ScheduleRecord,
) -> Result<bool, StoreError> {
    if store
        .get_location(practice, &schedule.location)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    match &schedule.practitioner {
        Some(p) => Ok(store.get_practitioner(practice, p).await?.is_some()),
        None => Ok(true),
    }
}
