//! Search for free slots (SPEC 3.10): a typed query, and the answer grouped so that each slot
//! comes with its schedule, location, practitioner and organisation.

use std::collections::HashMap;

use gpconnect_domain::records::OrgType;
use gpconnect_domain::time::uk_zone;
use gpconnect_domain::{FhirId, Interaction, OdsCode, UkDateTime};
use gpconnect_fhir::{
    Bundle, Coding, Extension, Location, Organization, Practitioner, Reference, Resource, Schedule,
    Slot,
};
use jiff::civil::Date;
use jiff::ToSpan;

use crate::client::GpConnectClient;
use crate::error::ClientError;
use crate::fhir_urls::{DELIVERY_CHANNEL_EXTENSION, ODS_CODE_SYSTEM, PRACTITIONER_ROLE_EXTENSION};
use crate::request::RequestSpec;

/// The longest range one search may cover (SPEC 3.10: consumers SHALL request at most two
/// weeks per call; the assurance suite accepts 14 days and rejects 15).
pub const MAX_SEARCH_DAYS: i64 = 14;

/// One end of the search range: a whole date or a UK local date-time (SPEC 2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchBound {
    /// `yyyy-mm-dd`.
    Date(Date),
    /// `yyyy-mm-ddThh:mm:ss+hh:mm`, in UK local time.
    DateTime(UkDateTime),
}

impl SearchBound {
    fn value(self) -> String {
        match self {
            Self::Date(d) => d.to_string(),
            Self::DateTime(t) => t.to_string(),
        }
    }

    /// The UK civil date-time the bound stands for (a date is its midnight).
    fn civil(self) -> jiff::civil::DateTime {
        match self {
            Self::Date(d) => d.to_datetime(jiff::civil::Time::midnight()),
            Self::DateTime(t) => t.timestamp().to_zoned(uk_zone().clone()).datetime(),
        }
    }
}

impl From<Date> for SearchBound {
    fn from(d: Date) -> Self {
        Self::Date(d)
    }
}

impl From<UkDateTime> for SearchBound {
    fn from(t: UkDateTime) -> Self {
        Self::DateTime(t)
    }
}

/// A search for free slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotSearch {
    /// Slots must start at or after this (`start=ge...`).
    pub start: SearchBound,
    /// Slots must end at or before this (`end=le...`).
    pub end: SearchBound,
    /// The consumer's organisation type (`searchFilter` with `GPConnect-OrganisationType-1`);
    /// a booking made from the results states it in the booking organisation (SPEC 3.11).
    pub organisation_type: Option<OrgType>,
    /// The consumer's ODS code (`searchFilter` with the ODS code system).
    pub ods_code: Option<OdsCode>,
    /// Ask for the schedules' practitioners (`_include:recurse=Schedule:actor:Practitioner`).
    pub include_practitioner: bool,
    /// Ask for the schedules' locations (`_include:recurse=Schedule:actor:Location`).
    pub include_location: bool,
    /// Ask for the locations' organisations (`_include:recurse=Location:managingOrganization`).
    pub include_managing_organization: bool,
}

impl SlotSearch {
    /// A search of `start..=end` with every include and no `searchFilter`. Add the consumer's
    /// filters with [`SlotSearch::for_consumer`]: SPEC 3.10 says they SHOULD be sent, and
    /// without them only unrestricted slots are offered (SPEC 5).
    pub fn new(start: impl Into<SearchBound>, end: impl Into<SearchBound>) -> Self {
        Self {
            start: start.into(),
            end: end.into(),
            organisation_type: None,
            ods_code: None,
            include_practitioner: true,
            include_location: true,
            include_managing_organization: true,
        }
    }

    /// The same search filtered for the consumer organisation `ods_code` of `organisation_type`.
    pub fn for_consumer(mut self, ods_code: OdsCode, organisation_type: Option<OrgType>) -> Self {
        self.ods_code = Some(ods_code);
        self.organisation_type = organisation_type;
        self
    }

    /// The query parameters, after checking the range (SPEC 3.10: end not before start, at most
    /// two weeks).
    pub(crate) fn query(&self) -> Result<Vec<(String, String)>, ClientError> {
        let (start, end) = (self.start.civil(), self.end.civil());
        if end < start {
            return Err(ClientError::InvalidInput(format!(
                "the slot search ends ({}) before it starts ({})",
                self.end.value(),
                self.start.value()
            )));
        }
        let limit = start
            .checked_add(MAX_SEARCH_DAYS.days())
            .map_err(|e| ClientError::InvalidInput(format!("the slot search range: {e}")))?;
        if end > limit {
            return Err(ClientError::InvalidInput(format!(
                "a slot search may cover at most {MAX_SEARCH_DAYS} days (SPEC 3.10); split {} to {} into several searches",
                self.start.value(),
                self.end.value()
            )));
        }
        let mut query = vec![
            ("status".to_owned(), "free".to_owned()),
            ("start".to_owned(), format!("ge{}", self.start.value())),
            ("end".to_owned(), format!("le{}", self.end.value())),
            ("_include".to_owned(), "Slot:schedule".to_owned()),
        ];
        let recurse = "_include:recurse".to_owned();
        if self.include_practitioner {
            query.push((recurse.clone(), "Schedule:actor:Practitioner".to_owned()));
        }
        if self.include_location {
            query.push((recurse.clone(), "Schedule:actor:Location".to_owned()));
        }
        if self.include_managing_organization {
            query.push((recurse, "Location:managingOrganization".to_owned()));
        }
        if let Some(org_type) = self.organisation_type {
            query.push((
                "searchFilter".to_owned(),
                format!("{}|{}", OrgType::SYSTEM, org_type.code()),
            ));
        }
        if let Some(ods) = &self.ods_code {
            query.push((
                "searchFilter".to_owned(),
                format!("{ODS_CODE_SYSTEM}|{}", ods.as_str()),
            ));
        }
        Ok(query)
    }
}

/// One free slot with everything a consumer shows and needs to book it (SPEC 3.10 display
/// rules; SPEC 3.11 booking content).
#[derive(Debug, Clone, PartialEq)]
pub struct FreeSlot {
    /// The slot's logical id.
    pub id: FhirId,
    /// Start, UK local time.
    pub start: UkDateTime,
    /// End, UK local time.
    pub end: UkDateTime,
    /// The schedule's logical id.
    pub schedule_id: FhirId,
    /// Where the appointment takes place (the schedule's Location actor).
    pub location_id: Option<FhirId>,
    /// Who the appointment is with (the schedule's Practitioner actor), if anyone.
    pub practitioner_id: Option<FhirId>,
    /// `In-person`, `Telephone` or `Video` (the slot's delivery channel extension).
    pub delivery_channel: Option<String>,
    /// The practice's slot type (`Slot.serviceType[0].text`).
    pub slot_type: Option<String>,
    /// The practice's schedule type or session name (`Schedule.serviceCategory.text`).
    pub schedule_type: Option<String>,
    /// The practitioner role of the schedule.
    pub practitioner_role: Option<Coding>,
    /// The organisation type the search was filtered by; a booking repeats it (SPEC 3.11).
    pub searched_organisation_type: Option<OrgType>,
    /// The Slot as received.
    pub slot: Slot,
    /// Its Schedule as received.
    pub schedule: Schedule,
    /// The Location, when included.
    pub location: Option<Location>,
    /// The Practitioner, when included.
    pub practitioner: Option<Practitioner>,
    /// The Organization managing the Location (always returned with slots, SPEC 3.10).
    pub organization: Option<Organization>,
}

/// The answer to a slot search: the free slots in start order, each with its context.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeSlots {
    /// The slots, earliest first.
    pub slots: Vec<FreeSlot>,
    /// The search that found them.
    pub search: SlotSearch,
}

impl FreeSlots {
    /// The slot with logical id `id`.
    pub fn get(&self, id: &str) -> Option<&FreeSlot> {
        self.slots.iter().find(|s| s.id.as_str() == id)
    }

    /// Whether no slot was found.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Groups a searchset's entries (SPEC 3.10: Slots, their Schedules, and the included
    /// Practitioners, Locations and Organizations).
    pub fn from_bundle(bundle: &Bundle, search: &SlotSearch) -> Result<Self, ClientError> {
        let unexpected = |message: String| ClientError::UnexpectedResponse {
            interaction: Interaction::SearchSlots,
            message,
        };
        let mut slots = Vec::new();
        let mut schedules = HashMap::new();
        let mut locations = HashMap::new();
        let mut practitioners = HashMap::new();
        let mut organizations = HashMap::new();
        for resource in bundle.entry.iter().filter_map(|e| e.resource.as_ref()) {
            let id = resource.id().unwrap_or_default().to_owned();
            match resource {
                Resource::Slot(s) => slots.push((**s).clone()),
                Resource::Schedule(s) => {
                    schedules.insert(id, (**s).clone());
                }
                Resource::Location(l) => {
                    locations.insert(id, (**l).clone());
                }
                Resource::Practitioner(p) => {
                    practitioners.insert(id, (**p).clone());
                }
                Resource::Organization(o) => {
                    organizations.insert(id, (**o).clone());
                }
                _ => {}
            }
        }
        // SPEC 3.10: the practice Organization comes with the slots even when Locations are
        // not included; when only one is present it is the practice's.
        let sole_organization = (organizations.len() == 1)
            .then(|| organizations.values().next().cloned())
            .flatten();
        let mut free = Vec::with_capacity(slots.len());
        for slot in slots.into_iter().filter(|s| s.status == "free") {
            let slot_id = slot
                .id
                .as_deref()
                .and_then(|id| FhirId::parse(id).ok())
                .ok_or_else(|| unexpected("a Slot has no valid logical id".into()))?;
            let schedule_id = reference_id(&slot.schedule, "Schedule").ok_or_else(|| {
                unexpected(format!(
                    "Slot {slot_id} does not reference a Schedule relatively"
                ))
            })?;
            let schedule = schedules
                .get(schedule_id.as_str())
                .cloned()
                .ok_or_else(|| {
                    unexpected(format!(
                        "Schedule {schedule_id} of Slot {slot_id} is not in the answer"
                    ))
                })?;
            let start = UkDateTime::parse(&slot.start)
                .map_err(|e| unexpected(format!("Slot {slot_id} start: {e}")))?;
            let end = UkDateTime::parse(&slot.end)
                .map_err(|e| unexpected(format!("Slot {slot_id} end: {e}")))?;
            let location_id = schedule
                .actor
                .iter()
                .find_map(|a| reference_id(a, "Location"));
            let practitioner_id = schedule
                .actor
                .iter()
                .find_map(|a| reference_id(a, "Practitioner"));
            let location = location_id
                .as_ref()
                .and_then(|id| locations.get(id.as_str()).cloned());
            let organization = location
                .as_ref()
                .and_then(|l| l.managing_organization.as_ref())
                .and_then(|r| reference_id(r, "Organization"))
                .and_then(|id| organizations.get(id.as_str()).cloned())
                .or_else(|| sole_organization.clone());
            free.push(FreeSlot {
                delivery_channel: extension(&slot.extension, DELIVERY_CHANNEL_EXTENSION)
                    .and_then(|e| e.value_code.clone()),
                slot_type: slot.service_type.first().and_then(|c| c.text.clone()),
                schedule_type: schedule
                    .service_category
                    .as_ref()
                    .and_then(|c| c.text.clone()),
                practitioner_role: extension(&schedule.extension, PRACTITIONER_ROLE_EXTENSION)
                    .and_then(|e| e.value_codeable_concept.as_ref())
                    .and_then(|c| c.coding.first().cloned()),
                practitioner: practitioner_id
                    .as_ref()
                    .and_then(|id| practitioners.get(id.as_str()).cloned()),
                searched_organisation_type: search.organisation_type,
                id: slot_id,
                start,
                end,
                schedule_id,
                location_id,
                practitioner_id,
                slot,
                schedule,
                location,
                organization,
            });
        }
        free.sort_by(|a, b| (a.start, a.id.as_str()).cmp(&(b.start, b.id.as_str())));
        Ok(Self {
            slots: free,
            search: search.clone(),
        })
    }
}

/// The logical id of a relative reference `{resource_type}/{id}` (SPEC 1: references are
/// relative).
pub(crate) fn reference_id(reference: &Reference, resource_type: &str) -> Option<FhirId> {
    let id = reference
        .reference
        .as_deref()?
        .strip_prefix(resource_type)?
        .strip_prefix('/')?;
    FhirId::parse(id).ok()
}

pub(crate) fn extension<'a>(extensions: &'a [Extension], url: &str) -> Option<&'a Extension> {
    extensions.iter().find(|e| e.url == url)
}

impl GpConnectClient {
    /// Search for free slots (SPEC 3.10). The range is checked first: at most two weeks, end
    /// not before start.
    pub async fn search_free_slots(&self, search: &SlotSearch) -> Result<FreeSlots, ClientError> {
        let mut spec = RequestSpec::new(Interaction::SearchSlots, "Slot");
        spec.query = search.query()?;
        let bundle = self.execute(&spec).await?.searchset()?;
        FreeSlots::from_bundle(&bundle, search)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_fhir::{BundleEntry, CodeableConcept};
    use jiff::civil::date;

    fn pairs(q: &[(String, String)]) -> Vec<(&str, &str)> {
        q.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }

    #[test]
    fn the_query_has_the_mandatory_parameters_includes_and_filters() {
        let search = SlotSearch::new(date(2026, 7, 1), date(2026, 7, 15)).for_consumer(
            OdsCode::parse("GPCA0001").unwrap(),
            Some(OrgType::UrgentCare),
        );
        assert_eq!(
            pairs(&search.query().unwrap()),
            [
                ("status", "free"),
                ("start", "ge2026-07-01"),
                ("end", "le2026-07-15"),
                ("_include", "Slot:schedule"),
                ("_include:recurse", "Schedule:actor:Practitioner"),
                ("_include:recurse", "Schedule:actor:Location"),
                ("_include:recurse", "Location:managingOrganization"),
                (
                    "searchFilter",
                    "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|urgent-care"
                ),
                (
                    "searchFilter",
                    "https://fhir.nhs.uk/Id/ods-organization-code|GPCA0001"
                ),
            ]
        );
    }

    #[test]
    fn date_times_are_sent_in_uk_local_time_with_their_offset() {
        let start = UkDateTime::parse("2026-07-01T08:00:00+00:00").unwrap();
        let end = UkDateTime::parse("2026-07-01T17:00:00+01:00").unwrap();
        let mut search = SlotSearch::new(start, end);
        search.include_practitioner = false;
        search.include_location = false;
        search.include_managing_organization = false;
        assert_eq!(
            pairs(&search.query().unwrap()),
            [
                ("status", "free"),
                ("start", "ge2026-07-01T09:00:00+01:00"),
                ("end", "le2026-07-01T17:00:00+01:00"),
                ("_include", "Slot:schedule"),
            ]
        );
    }

    #[test]
    fn ranges_over_two_weeks_or_backwards_are_refused_before_sending() {
        let too_long = SlotSearch::new(date(2026, 7, 1), date(2026, 7, 16));
        assert!(
            matches!(too_long.query(), Err(ClientError::InvalidInput(m)) if m.contains("14 days"))
        );
        let backwards = SlotSearch::new(date(2026, 7, 2), date(2026, 7, 1));
        assert!(matches!(
            backwards.query(),
            Err(ClientError::InvalidInput(_))
        ));
        // Two weeks across the October clock change is still two weeks.
        assert!(SlotSearch::new(date(2026, 10, 20), date(2026, 11, 3))
            .query()
            .is_ok());
    }

    fn entry(resource: impl Into<Resource>) -> BundleEntry {
        BundleEntry {
            resource: Some(resource.into()),
            ..BundleEntry::default()
        }
    }

    fn reference(r: &str) -> Reference {
        Reference {
            reference: Some(r.into()),
            ..Reference::default()
        }
    }

    fn slot(id: &str, start: &str, end: &str) -> Slot {
        Slot {
            id: Some(id.into()),
            extension: vec![Extension {
                url: DELIVERY_CHANNEL_EXTENSION.into(),
                value_code: Some("In-person".into()),
                ..Extension::default()
            }],
            service_type: vec![CodeableConcept {
                text: Some("Urgent appointment".into()),
                ..CodeableConcept::default()
            }],
            schedule: reference("Schedule/S1"),
            status: "free".into(),
            start: start.into(),
            end: end.into(),
            ..Slot::default()
        }
    }

    #[test]
    fn a_searchset_is_grouped_by_slot_with_its_context() {
        let bundle = Bundle {
            r#type: "searchset".into(),
            entry: vec![
                entry(slot(
                    "20",
                    "2026-07-01T10:10:00+01:00",
                    "2026-07-01T10:20:00+01:00",
                )),
                entry(slot(
                    "10",
                    "2026-07-01T10:00:00+01:00",
                    "2026-07-01T10:10:00+01:00",
                )),
                entry(Schedule {
                    id: Some("S1".into()),
                    actor: vec![reference("Location/L1"), reference("Practitioner/P1")],
                    service_category: Some(CodeableConcept {
                        text: Some("Morning surgery".into()),
                        ..CodeableConcept::default()
                    }),
                    ..Schedule::default()
                }),
                entry(Location {
                    id: Some("L1".into()),
                    name: Some("Main surgery".into()),
                    managing_organization: Some(reference("Organization/O1")),
                    ..Location::default()
                }),
                entry(Practitioner {
                    id: Some("P1".into()),
                    ..Practitioner::default()
                }),
                entry(Organization {
                    id: Some("O1".into()),
                    name: Some("The Practice".into()),
                    ..Organization::default()
                }),
            ],
            ..Bundle::default()
        };
        let search = SlotSearch::new(date(2026, 7, 1), date(2026, 7, 2));
        let found = FreeSlots::from_bundle(&bundle, &search).unwrap();
        let ids: Vec<&str> = found.slots.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["10", "20"], "earliest first");
        let first = &found.slots[0];
        assert_eq!(first.schedule_id.as_str(), "S1");
        assert_eq!(first.location_id.as_ref().map(FhirId::as_str), Some("L1"));
        assert_eq!(
            first.practitioner_id.as_ref().map(FhirId::as_str),
            Some("P1")
        );
        assert_eq!(first.delivery_channel.as_deref(), Some("In-person"));
        assert_eq!(first.slot_type.as_deref(), Some("Urgent appointment"));
        assert_eq!(first.schedule_type.as_deref(), Some("Morning surgery"));
        assert_eq!(
            first.location.as_ref().and_then(|l| l.name.as_deref()),
            Some("Main surgery")
        );
        assert_eq!(
            first.organization.as_ref().and_then(|o| o.name.as_deref()),
            Some("The Practice")
        );
        assert!(first.practitioner.is_some());
        assert_eq!(
            found.get("20").map(|s| s.start.to_string()).as_deref(),
            Some("2026-07-01T10:10:00+01:00")
        );
    }

    #[test]
    fn a_slot_whose_schedule_is_missing_is_an_unexpected_answer() {
        let bundle = Bundle {
            r#type: "searchset".into(),
            entry: vec![entry(slot(
                "10",
                "2026-07-01T10:00:00+01:00",
                "2026-07-01T10:10:00+01:00",
            ))],
            ..Bundle::default()
        };
        let search = SlotSearch::new(date(2026, 7, 1), date(2026, 7, 2));
        let err = FreeSlots::from_bundle(&bundle, &search).unwrap_err();
        assert!(err.to_string().contains("Schedule S1"), "{err}");
    }

    #[test]
    fn relative_references_only() {
        assert_eq!(
            reference_id(&reference("Location/8"), "Location").map(|i| i.to_string()),
            Some("8".into())
        );
        assert_eq!(
            reference_id(&reference("https://x/Location/8"), "Location"),
            None
        );
        assert_eq!(reference_id(&reference("Locations/8"), "Location"), None);
    }
}
