//! Search for free slots (SPEC 3.10, 5):
//! `GET /Slot?start=ge…&end=le…&status=free&_include=Slot:schedule[&_include:recurse=…][&searchFilter=…]`.
//!
//! The search is one indexed store query ([`Store::free_slots`]) followed by the SPEC 5
//! availability rule per slot; the schedules come with the slots, and the locations, their
//! managing organisations and the practitioners are each loaded once per search, however many
//! slots refer to them. The encoded answer is kept and reused until the practice's diary
//! changes or the clock could change it ([`crate::search_cache`]).
//!
//! [`Store::free_slots`]: gpconnect_store::Store::free_slots

use std::collections::BTreeSet;
use std::time::Instant;

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use gpconnect_domain::records::{
    slot_offer_stable_until, slot_offered, LimitCheck, OrgType, ScheduleRecord, SlotRecord,
};
use gpconnect_domain::time::uk_zone;
use gpconnect_domain::{FhirId, OdsCode, UkDateTime};
use gpconnect_fhir::{CodeableConcept, Extension, Period, Resource, Schedule, Slot};
use jiff::civil::Date;
use jiff::ToSpan;

use crate::context::RequestContext;
use crate::datatypes::{codeable_concept, meta, reference};
use crate::error::ApiError;
use crate::query::QueryParams;
use crate::response;
use crate::search::searchset;
use crate::search_cache::{SearchAnswer, SearchKey, Seen};
use crate::state::AppState;
use crate::{location, organization, practitioner, Format};

/// The profile of every Slot the provider answers with.
pub const SLOT_PROFILE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1";
/// The profile of every Schedule the provider answers with.
pub const SCHEDULE_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1";
/// The delivery channel extension of slots and appointments (SPEC 4.1: `valueCode`).
pub const DELIVERY_CHANNEL_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2";
/// The practitioner role extension of schedules and appointments (SPEC 4.1:
/// `valueCodeableConcept`).
pub const PRACTITIONER_ROLE_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1";
/// The `searchFilter` system naming the consumer's ODS code (SPEC 3.10).
pub const ODS_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";

/// SPEC 3.10: consumers ask for at most two weeks per search.
const MAX_WINDOW_DAYS: i64 = 14;

/// `GET /Slot`.
pub fn router() -> Router<AppState> {
    Router::new().route("/Slot", get(search_slots))
}

/// One bound of the search range as it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `yyyy-mm-dd`: a UK calendar day.
    Date(Date),
    /// `yyyy-mm-ddThh:mm:ss±hh:mm`: an instant.
    Instant(UkDateTime),
}

impl Bound {
    /// The first instant the bound covers (a date starts at UK midnight).
    fn first_instant(self) -> UkDateTime {
        match self {
            Bound::Date(d) => UkDateTime::start_of_uk_day(d),
            Bound::Instant(t) => t,
        }
    }

    /// The last instant the bound covers: a date covers the whole UK day, up to the next
    /// midnight (see [`SlotSearch::to`]).
    fn last_instant(self) -> UkDateTime {
        match self {
            Bound::Date(d) => UkDateTime::start_of_uk_day(d.tomorrow().unwrap_or(d)),
            Bound::Instant(t) => t,
        }
    }

    fn uk_date(self) -> Date {
        match self {
            Bound::Date(d) => d,
            Bound::Instant(t) => t.uk_date(),
        }
    }
}

/// A checked free-slot search (SPEC 3.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotSearch {
    /// `start=ge…`.
    pub start: Bound,
    /// `end=le…`.
    pub end: Bound,
    /// The `searchFilter` organisation type, if one was sent (any code: an unknown type simply
    /// matches no type restriction, SPEC 3.10).
    pub org_type: Option<String>,
    /// The `searchFilter` ODS code, if one was sent and is a well-formed ODS code.
    pub ods_code: Option<OdsCode>,
    /// `_include:recurse=Schedule:actor:Practitioner` was sent.
    pub include_practitioners: bool,
    /// `_include:recurse=Schedule:actor:Location` was sent.
    pub include_locations: bool,
}

impl SlotSearch {
    /// Checks the search parameters (SPEC 3.10; codes from ATS SearchForFreeSlots):
    /// a missing `start`, `end`, `status` or `_include=Slot:schedule`, or a repeated `start`,
    /// `end` or `status`, is 400 `BAD_REQUEST`; a wrong prefix, a badly formed value, a status
    /// other than `free`, an end before the start or a window over 14 days is 422
    /// `INVALID_PARAMETER`. Unknown parameters and `searchFilter` systems are ignored (SPEC
    /// 2.12).
    pub fn parse(query: &QueryParams) -> Result<Self, ApiError> {
        let start = single(query, "start")?;
        let end = single(query, "end")?;
        let status = single(query, "status")?;
        if !query.all("_include").any(|v| v == "Slot:schedule") {
            return Err(ApiError::bad_request(
                "The parameter _include=Slot:schedule is required when searching for free slots",
            ));
        }
        if status != "free" {
            return Err(ApiError::invalid_parameter(format!(
                "status '{status}' is not supported: only free slots can be searched for (status=free)"
            )));
        }
        let start = parse_bound("start", start, "ge")?;
        let end = parse_bound("end", end, "le")?;
        check_window(start, end)?;

        let mut org_type = None;
        let mut ods_code = None;
        for filter in query.all("searchFilter") {
            let Some((system, code)) = filter.split_once('|') else {
                continue;
            };
            if code.is_empty() {
                continue;
            }
            // SPEC 3.10: other systems are ignored without error; the first of each is used.
            if system == OrgType::SYSTEM && org_type.is_none() {
                org_type = Some(code.to_owned());
            } else if system == ODS_CODE_SYSTEM && ods_code.is_none() {
                // A malformed code matches no restriction, which is what an absent one does
                // under the SPEC 5 table, so it is simply not kept.
                ods_code = OdsCode::parse(code).ok();
            }
        }
        let recurse: Vec<&str> = query.all("_include:recurse").collect();
        Ok(Self {
            start,
            end,
            org_type,
            ods_code,
            include_practitioners: recurse.contains(&"Schedule:actor:Practitioner"),
            include_locations: recurse.contains(&"Schedule:actor:Location"),
        })
    }

    /// The first instant of the range.
    pub fn from(&self) -> UkDateTime {
        self.start.first_instant()
    }

    /// The last instant of the range. An end sent as a date means the whole of that UK day
    /// (FHIR `le` on a date: every instant up to the end of the day; SPEC 9.10), so a slot
    /// ending at 16:00 on that day is returned.
    pub fn to(&self) -> UkDateTime {
        self.end.last_instant()
    }
}

/// The one value of a required parameter.
fn single<'q>(query: &'q QueryParams, name: &'q str) -> Result<&'q str, ApiError> {
    let mut values = query.all(name);
    match (values.next(), values.next()) {
        (Some(value), None) => Ok(value),
        (None, _) => Err(ApiError::bad_request(format!(
            "The parameter '{name}' is required when searching for free slots"
        ))),
        (Some(_), Some(_)) => Err(ApiError::bad_request(format!(
            "The parameter '{name}' must be sent once only"
        ))),
    }
}

/// Parses `{prefix}{yyyy-mm-dd | yyyy-mm-ddThh:mm:ss±hh:mm}` (SPEC 2.10, 3.10).
fn parse_bound(name: &str, raw: &str, prefix: &str) -> Result<Bound, ApiError> {
    let Some(value) = raw.strip_prefix(prefix) else {
        return Err(ApiError::invalid_parameter(format!(
            "{name}={raw}: the {name} parameter must have the prefix '{prefix}' (e.g. {name}={prefix}2024-06-03)"
        )));
    };
    if let Some(date) = parse_date(value) {
        return Ok(Bound::Date(date));
    }
    UkDateTime::parse(value).map(Bound::Instant).map_err(|_| {
        ApiError::invalid_parameter(format!(
            "{name}={raw}: the value must be a date (yyyy-mm-dd) or a date-time with a UTC offset \
             (yyyy-mm-ddThh:mm:ss+hh:mm); partial dates, times without an offset and 'Z' are not accepted"
        ))
    })
}

/// A full calendar date `yyyy-mm-dd`, nothing shorter or longer.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    s.parse().ok()
}

/// SPEC 3.10: the end may not be before the start and the range may not be longer than two
/// weeks (ATS: 14 days pass, 15 fail). Both rules compare the values as they were sent: a date
/// end is compared by calendar day, a date-time end as an instant, with days counted in UK
/// civil time so that a clock change does not shorten or lengthen the limit.
fn check_window(start: Bound, end: Bound) -> Result<(), ApiError> {
    let backwards = match end {
        Bound::Date(end) => end < start.uk_date(),
        Bound::Instant(end) => end < start.first_instant(),
    };
    if backwards {
        return Err(ApiError::invalid_parameter(
            "The end of the search range is before its start",
        ));
    }
    let too_long = match end {
        Bound::Date(end) => start
            .uk_date()
            .checked_add(MAX_WINDOW_DAYS.days())
            .map(|limit| end > limit)
            .unwrap_or(true),
        Bound::Instant(end) => start
            .first_instant()
            .timestamp()
            .to_zoned(uk_zone().clone())
            .checked_add(MAX_WINDOW_DAYS.days())
            .map(|limit| end.timestamp() > limit.timestamp())
            .unwrap_or(true),
    };
    if too_long {
        return Err(ApiError::invalid_parameter(format!(
            "The search range is longer than {MAX_WINDOW_DAYS} days; search at most two weeks at a time"
        )));
    }
    Ok(())
}

async fn search_slots(
    State(state): State<AppState>,
    ctx: RequestContext,
) -> Result<Response, ApiError> {
    let search = SlotSearch::parse(ctx.query())?;
    let practice = ctx.practice();
    let format = ctx.format();
    let now = ctx.received();
    let key = SearchKey {
        practice: practice.ods.clone(),
        from: search.from().unix_seconds(),
        to: search.to().unix_seconds(),
        org_type: search.org_type.clone(),
        ods_code: search.ods_code.clone(),
        include_practitioners: search.include_practitioners,
        include_locations: search.include_locations,
        format,
    };
    let seen = Seen {
        diary_version: practice.diary_version,
        arrived: ctx.arrived(),
        now,
    };
    // A 14-day whole-practice search is CPU-bound (thousands of slots, megabytes of JSON);
    // bounding how many are built at once keeps a core for bookings (SPEC 2.14: commands
    // within 250 ms). The wait for a turn is asynchronous, so queued searches hold no worker
    // thread, and a kept answer needs no turn.
    let turn = async { state.search_permit().await.map_err(ApiError::internal) };
    let answer = state
        .search_cache()
        .answer(key, seen, turn, || {
            build_answer(&state, &practice.ods, &search, format, now)
        })
        .await?;
    ctx.audit_detail(format!("{} free slots", answer.slots));
    Ok(response::encoded_ok(answer.body.clone(), format))
}

/// Runs the search at `now` and encodes its searchset Bundle in `format`.
async fn build_answer(
    state: &AppState,
    practice: &OdsCode,
    search: &SlotSearch,
    format: Format,
    now: UkDateTime,
) -> Result<SearchAnswer, ApiError> {
    let store = state.store();
    // The version first, then the data: the data is that version or later.
    let diary_version = store
        .get_practice(practice)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::no_record_found(format!("Practice {practice} is gone")))?
        .diary_version;
    let read_at = Instant::now();
    let found = store
        .free_slots(practice, search.from(), search.to())
        .await
        .map_err(ApiError::internal)?;
    let stable_until = found
        .slots
        .iter()
        .filter_map(|s| slot_offer_stable_until(s, now))
        .min();
    // SPEC 5: only bookable slots inside their booking window that the consumer's organisation
    // (type and ODS code from searchFilter) may book. A range in the past may be searched, but
    // a slot that has already started cannot be booked (SPEC 3.11), so it is not offered.
    let (org_type, ods_code) = (search.org_type.as_deref(), search.ods_code.as_ref());
    let mut slots: Vec<SlotRecord> = found
        .slots
        .into_iter()
        .filter(|s| slot_offered(s, org_type, ods_code, now))
        .collect();
    // SPEC 5: nor slots on days when the organisation access limits covering the consumer's
    // organisation are used up (a booking of them would be refused).
    if (org_type.is_some() || ods_code.is_some()) && !slots.is_empty() {
        let limits = store
            .booking_limits(practice)
            .await
            .map_err(ApiError::internal)?;
        if limits.iter().any(|l| l.covers(org_type, ods_code)) {
            let booked = store
                .booked_slots(practice, search.from().uk_date(), search.to().uk_date())
                .await
                .map_err(ApiError::internal)?;
            let check = LimitCheck::new(&limits, &booked, org_type, ods_code);
            slots.retain(|s| check.allows_one_at(s.start));
        }
    }
    let offered = slots.len();
    let encoded = move |resources: Vec<Resource>| {
        response::encode(&Resource::from(searchset(resources)), format).map(|body| SearchAnswer {
            body: Bytes::from(body),
            slots: offered,
            stable_until,
            diary_version,
            read_at,
        })
    };
    if slots.is_empty() {
        // SPEC 3.10: no slots, no included resources either.
        return encoded(Vec::new());
    }
    let used: BTreeSet<&FhirId> = slots.iter().map(|s| &s.schedule).collect();
    let schedules: Vec<ScheduleRecord> = found
        .schedules
        .into_iter()
        .filter(|s| used.contains(&s.id))
        .collect();

    // The practitioners and locations each in one read (one round trip on PostgreSQL).
    let mut practitioners = Vec::new();
    if search.include_practitioners {
        let ids: BTreeSet<&FhirId> = schedules
            .iter()
            .filter_map(|s| s.practitioner.as_ref())
            .collect();
        let ids: Vec<FhirId> = ids.into_iter().cloned().collect();
        practitioners = store
            .get_practitioners(practice, &ids)
            .await
            .map_err(ApiError::internal)?;
        all_found("Practitioner", &ids, &practitioners, |p| &p.id)?;
    }
    // SPEC 3.10: the Organization managing the schedules' locations is returned whenever slots
    // are (a known issue of 1.2.7), the Locations only when asked for.
    let location_ids: BTreeSet<&FhirId> = schedules.iter().map(|s| &s.location).collect();
    let location_ids: Vec<FhirId> = location_ids.into_iter().cloned().collect();
    let mut locations = store
        .get_locations(practice, &location_ids)
        .await
        .map_err(ApiError::internal)?;
    all_found("Location", &location_ids, &locations, |l| &l.id)?;
    let organization_ids: BTreeSet<FhirId> = locations
        .iter()
        .map(|l| l.managing_organization.clone())
        .collect();
    if !search.include_locations {
        locations.clear();
    }
    let mut organizations = Vec::new();
    for id in organization_ids {
        let record = store
            .get_organization(practice, &id)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::internal(Dangling("Organization", id.clone())))?;
        organizations.push(record);
    }

    // Building and encoding the bundle is the CPU-heavy part: it runs on the background
    // threads, below the priority of commands (SPEC 2.14), so the async workers stay free to
    // accept and answer other requests.
    gpconnect_store::background::run(move || {
        let mut resources: Vec<Resource> = Vec::with_capacity(
            slots.len()
                + schedules.len()
                + practitioners.len()
                + locations.len()
                + organizations.len(),
        );
        resources.extend(slots.iter().map(|s| Resource::from(slot_to_fhir(s))));
        resources.extend(
            schedules
                .iter()
                .map(|s| Resource::from(schedule_to_fhir(s))),
        );
        resources.extend(
            practitioners
                .iter()
                .map(|p| Resource::from(practitioner::to_fhir(p))),
        );
        resources.extend(
            locations
                .iter()
                .map(|l| Resource::from(location::to_fhir(l))),
        );
        resources.extend(
            organizations
                .iter()
                .map(|o| Resource::from(organization::to_fhir(o))),
        );
        encoded(resources)
    })
    .await
    .map_err(ApiError::internal)?
}

/// A schedule or location names a record that does not exist: the data is inconsistent, and
/// SPEC 2.8 fails the whole search with a 500 rather than answer with a partial bundle.
#[derive(Debug, thiserror::Error)]
#[error("{0}/{1} is referenced by the diary but does not exist")]
struct Dangling(&'static str, FhirId);

/// An internal error naming the first of `ids` that `found` lacks (a schedule naming a record
/// that does not exist).
fn all_found<R>(
    kind: &'static str,
    ids: &[FhirId],
    found: &[R],
    id: impl Fn(&R) -> &FhirId,
) -> Result<(), ApiError> {
    match ids
        .iter()
        .find(|wanted| !found.iter().any(|r| id(r) == *wanted))
    {
        Some(missing) => Err(ApiError::internal(Dangling(kind, missing.clone()))),
        None => Ok(()),
    }
}

/// A CodeableConcept with text only (slot type, schedule type: SPEC 6.1).
pub(crate) fn text_concept(text: &str) -> CodeableConcept {
    CodeableConcept {
        text: Some(text.to_owned()),
        ..Default::default()
    }
}

/// The delivery channel extension with `code`.
pub(crate) fn delivery_channel_extension(code: &str) -> Extension {
    Extension {
        url: DELIVERY_CHANNEL_EXTENSION.into(),
        value_code: Some(code.to_owned()),
        ..Default::default()
    }
}

/// The practitioner role extension with `role`.
pub(crate) fn practitioner_role_extension(role: &gpconnect_domain::records::Coding) -> Extension {
    Extension {
        url: PRACTITIONER_ROLE_EXTENSION.into(),
        value_codeable_concept: Some(Box::new(codeable_concept(role))),
        ..Default::default()
    }
}

/// A `GPConnect-Slot-1` Slot (SPEC 3.10): the delivery channel extension, the practice slot
/// type as `serviceType[0].text`, the schedule, status and UK local start and end; never a
/// comment or a specialty (ATS 3.5).
pub fn slot_to_fhir(record: &SlotRecord) -> Slot {
    Slot {
        id: Some(record.id.as_str().to_owned()),
        meta: Some(meta(SLOT_PROFILE, record.version)),
        extension: vec![delivery_channel_extension(record.delivery_channel.code())],
        service_type: record
            .service_type
            .as_deref()
            .map(text_concept)
            .into_iter()
            .collect(),
        schedule: reference("Schedule", &record.schedule),
        status: record.status.code().to_owned(),
        start: record.start.to_string(),
        end: record.end.to_string(),
        ..Default::default()
    }
}

/// A `GPConnect-Schedule-1` Schedule (SPEC 3.10): exactly one practitioner role extension, the
/// schedule type as `serviceCategory.text`, the Location actor (and the Practitioner, if any)
/// and the planning horizon; never a comment, a specialty or a delivery channel (ATS 3.5).
pub fn schedule_to_fhir(record: &ScheduleRecord) -> Schedule {
    let mut actor = vec![reference("Location", &record.location)];
    if let Some(practitioner) = &record.practitioner {
        actor.push(reference("Practitioner", practitioner));
    }
    let (start, end) = record.planning_horizon;
    Schedule {
        id: Some(record.id.as_str().to_owned()),
        meta: Some(meta(SCHEDULE_PROFILE, record.version)),
        extension: vec![practitioner_role_extension(&record.practitioner_role)],
        service_category: record.service_category.as_deref().map(text_concept),
        actor,
        planning_horizon: Some(Period {
            start: Some(start.to_string()),
            end: Some(end.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::SpineCode;

    fn search(q: &str) -> Result<SlotSearch, ApiError> {
        SlotSearch::parse(&QueryParams::parse(Some(q)).unwrap())
    }

    fn code(q: &str) -> SpineCode {
        search(q).unwrap_err().code()
    }

    const INC: &str = "status=free&_include=Slot:schedule";

    #[test]
    fn dates_and_offset_date_times_are_accepted() {
        for (start, end) in [
            ("ge2026-03-02", "le2026-03-16"),
            (
                "ge2026-03-02T00:00:00%2B00:00",
                "le2026-03-16T00:00:00%2B00:00",
            ),
            ("ge2026-03-02T09:30:00-01:00", "le2026-03-03"),
            ("ge2026-03-02", "le2026-03-02T10:00:00+00:00"),
            ("ge2026-03-02", "le2026-03-02"),
        ] {
            let s = search(&format!("start={start}&end={end}&{INC}"));
            assert!(s.is_ok(), "{start} {end}: {:?}", s.err());
        }
    }

    #[test]
    fn a_date_end_covers_the_whole_day() {
        let s = search(&format!("start=ge2026-07-01&end=le2026-07-02&{INC}")).unwrap();
        assert_eq!(s.from().to_string(), "2026-07-01T00:00:00+01:00");
        assert_eq!(s.to().to_string(), "2026-07-03T00:00:00+01:00");
        let s = search(&format!(
            "start=ge2026-07-01T10:00:00%2B01:00&end=le2026-07-02T10:00:00%2B01:00&{INC}"
        ))
        .unwrap();
        assert_eq!(s.to().to_string(), "2026-07-02T10:00:00+01:00");
    }

    #[test]
    fn missing_or_repeated_parameters_are_bad_requests() {
        for q in [
            "end=le2026-03-03&status=free&_include=Slot:schedule",
            "start=ge2026-03-02&status=free&_include=Slot:schedule",
            "start=ge2026-03-02&end=le2026-03-03&_include=Slot:schedule",
            "start=ge2026-03-02&end=le2026-03-03&status=free",
            "start=ge2026-03-02&end=le2026-03-03&status=free&_include=Schedule:actor:Location",
            "start=ge2026-03-02&start=ge2026-03-02&end=le2026-03-03&status=free&_include=Slot:schedule",
        ] {
            assert_eq!(code(q), SpineCode::BadRequest, "{q}");
        }
    }

    #[test]
    fn wrong_prefixes_and_values_are_invalid_parameters() {
        for (start, end) in [
            ("lt2026-03-02", "gt2026-03-03"),
            ("le2026-03-02", "ge2026-03-03"),
            ("eq2026-03-02", "eq2026-03-03"),
            ("ne2026-03-02", "le2026-03-03"),
            ("2026-03-02", "le2026-03-03"),
            ("invalidStartDate", "le2026-03-03"),
            ("", "le2026-03-03"),
            ("ge2026-03-02", "invalidEnddate"),
            ("ge2026-03-02", ""),
            ("ge2026-03-02T00:00:00", "le2026-03-03T00:00:00"),
            ("ge2026-03-02T00:00:00Z", "le2026-03-03T00:00:00"),
            ("ge2026-03-02T00:00:00", "le2026-03-03T00:00:00Z"),
            ("ge2026", "le2026-03"),
            ("ge2026-03", "le2026"),
            ("ge2026-02-30", "le2026-03-03"),
            ("ge2026-3-2", "le2026-03-03"),
        ] {
            assert_eq!(
                code(&format!("start={start}&end={end}&{INC}")),
                SpineCode::InvalidParameter,
                "{start} {end}"
            );
        }
        assert_eq!(
            code("start=ge2026-03-02&end=le2026-03-03&status=busy&_include=Slot:schedule"),
            SpineCode::InvalidParameter
        );
    }

    #[test]
    fn the_window_is_at_most_fourteen_days_and_not_backwards() {
        let ok = |s: &str, e: &str| search(&format!("start={s}&end={e}&{INC}")).is_ok();
        assert!(ok("ge2026-03-02", "le2026-03-16"));
        assert!(!ok("ge2026-03-02", "le2026-03-17"));
        assert!(!ok("ge2026-03-02", "le2026-03-01"));
        // Across the spring clock change: 14 civil days are 335 hours.
        assert!(ok(
            "ge2026-03-20T00:00:00%2B00:00",
            "le2026-04-03T00:00:00%2B01:00"
        ));
        assert!(!ok(
            "ge2026-03-20T00:00:00%2B00:00",
            "le2026-04-03T00:00:01%2B01:00"
        ));
        assert!(!ok(
            "ge2026-03-20T00:00:00%2B00:00",
            "le2026-04-04T00:00:00%2B01:00"
        ));
        assert!(!ok(
            "ge2026-03-20T10:00:00%2B00:00",
            "le2026-03-20T09:59:59%2B00:00"
        ));
        // A date end covers its whole day, so it is not before a start later that day.
        assert!(ok("ge2026-03-20T10:00:00%2B00:00", "le2026-03-20"));
    }

    #[test]
    fn search_filters_and_includes_are_read_and_unknown_ones_ignored() {
        let s = search(&format!(
            "start=ge2026-03-02&end=le2026-03-03&{INC}\
             &searchFilter=https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1%7Concology\
             &searchFilter=FilterCategory-7%7COtherConsumerCategory\
             &searchFilter=https://fhir.nhs.uk/Id/ods-organization-code%7CB81016\
             &_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization"
        ))
        .unwrap();
        assert_eq!(s.org_type.as_deref(), Some("oncology"));
        assert_eq!(s.ods_code.as_ref().map(OdsCode::as_str), Some("B81016"));
        assert!(s.include_locations);
        assert!(!s.include_practitioners);
    }
}
