//! The practice records the provider holds (SPEC 1: one logical FHIR server per practice).
//!
//! These are plain rows: storage keeps them, and the HTTP edge builds FHIR resources from them.
//! Every record belongs to one practice (its ODS code), has a logical `id` that is unique per
//! practice and record kind, and a `version` that the store replaces on every change; reads
//! expose it as `meta.versionId` and `ETag: W/"<version>"` (SPEC 2.7).

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ids::{Asid, FhirId, NhsNumber, OdsCode};
use crate::time::UkDateTime;

/// Declares a closed code list whose serde form and `code()` are the exact FHIR code.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            /// The code as written on the wire (case-sensitive).
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// Looks a value up by its exact code; `None` for anything else.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum! {
    /// FHIR `HumanName.use` (STU3 `name-use`).
    NameUse {
        Usual => "usual",
        Official => "official",
        Temp => "temp",
        Nickname => "nickname",
        Anonymous => "anonymous",
        Old => "old",
        Maiden => "maiden",
    }
}

coded_enum! {
    /// FHIR `Address.use`.
    AddressUse {
        Home => "home",
        Work => "work",
        Temp => "temp",
        Old => "old",
    }
}

coded_enum! {
    /// FHIR `ContactPoint.system`.
    ContactSystem {
        Phone => "phone",
        Fax => "fax",
        Email => "email",
        Pager => "pager",
        Url => "url",
        Sms => "sms",
        Other => "other",
    }
}

coded_enum! {
    /// FHIR `ContactPoint.use`.
    ContactUse {
        Home => "home",
        Work => "work",
        Temp => "temp",
        Old => "old",
        Mobile => "mobile",
    }
}

coded_enum! {
    /// Administrative gender (`CareConnect-AdministrativeGender-1`).
    Gender {
        Male => "male",
        Female => "female",
        Other => "other",
        Unknown => "unknown",
    }
}

coded_enum! {
    /// Slot status (SPEC 4.8).
    SlotStatus {
        Free => "free",
        Busy => "busy",
        BusyUnavailable => "busy-unavailable",
        BusyTentative => "busy-tentative",
        EnteredInError => "entered-in-error",
    }
}

coded_enum! {
    /// How an appointment is delivered (`GPConnect-DeliveryChannel-1`, SPEC 4.9).
    DeliveryChannel {
        InPerson => "In-person",
        Telephone => "Telephone",
        Video => "Video",
    }
}

coded_enum! {
    /// Organisation type a slot may be restricted to (`GPConnect-OrganisationType-1`, SPEC 5).
    OrgType {
        GpPractice => "gp-practice",
        UrgentCare => "urgent-care",
    }
}

coded_enum! {
    /// FHIR `appointmentstatus` (SPEC 4.7).
    AppointmentStatus {
        Proposed => "proposed",
        Pending => "pending",
        Booked => "booked",
        Arrived => "arrived",
        Fulfilled => "fulfilled",
        Cancelled => "cancelled",
        Noshow => "noshow",
        EnteredInError => "entered-in-error",
    }
}

coded_enum! {
    /// Registration type (`CareConnect-RegistrationType-1`, SPEC 4.9).
    RegistrationType {
        Regular => "R",
        Emergency => "E",
        ImmediatelyNecessary => "IN",
        Temporary => "T",
        Private => "P",
        Other => "O",
        Synthetic => "S",
    }
}

impl RegistrationType {
    /// The code system of [`RegistrationType::code`].
    pub const SYSTEM: &'static str =
        "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1";

    /// The CodeSystem display for the code.
    pub fn display(self) -> &'static str {
        match self {
            Self::Regular => "Regular",
            Self::Emergency => "Emergency",
            Self::ImmediatelyNecessary => "Immediately necessary",
            Self::Temporary => "Temporary",
            Self::Private => "Private",
            Self::Other => "Other",
            Self::Synthetic => "Synthetic Record",
        }
    }
}

impl DeliveryChannel {
    /// The code system of [`DeliveryChannel::code`].
    pub const SYSTEM: &'static str =
        "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-DeliveryChannel-1";
}

impl OrgType {
    /// The code system of [`OrgType::code`] (also the `searchFilter` system, SPEC 3.10).
    pub const SYSTEM: &'static str =
        "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1";

    /// The CodeSystem display for the code.
    pub fn display(self) -> &'static str {
        match self {
            Self::GpPractice => "GP Practice",
            Self::UrgentCare => "Urgent Care",
        }
    }
}

/// A person's name. `family` is required by every GP Connect profile that carries a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HumanName {
    pub use_: NameUse,
    pub family: String,
    pub given: Vec<String>,
    pub prefix: Vec<String>,
}

/// A postal address (SPEC 2.11: `line`, `city`, `district`, `postalCode`, `country`; absent
/// parts stay absent).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub use_: Option<AddressUse>,
    pub lines: Vec<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

/// A telephone number, e-mail address and so on (SPEC 2.11: `system` and `value` always).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPoint {
    pub system: ContactSystem,
    pub value: String,
    pub use_: Option<ContactUse>,
}

/// A code from a code system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Coding {
    pub system: String,
    pub code: String,
    pub display: Option<String>,
}

impl Coding {
    /// A coding with a display.
    pub fn new(system: &str, code: &str, display: &str) -> Self {
        Self {
            system: system.to_owned(),
            code: code.to_owned(),
            display: Some(display.to_owned()),
        }
    }
}

/// A business identifier (system and value both present, SPEC 2.9).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub system: String,
    pub value: String,
}

/// A GP practice hosted by this provider: the unit of routing (SPEC 2.2) and of enablement
/// (SPEC 2.13: GP Connect and Appointment Management are switched on separately, off by
/// default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practice {
    pub ods: OdsCode,
    /// The provider ASID for this practice endpoint; `Ssp-To` must equal it (SPEC 2.3).
    pub asid: Asid,
    /// The `Organization` record that represents the practice itself.
    pub organization_id: FhirId,
    pub name: String,
    pub gp_connect_enabled: bool,
    pub appointments_enabled: bool,
    /// Changes, in the same transaction, with every change to what a free-slot search of the
    /// practice can return (slots, schedules, their locations, practitioners and
    /// organisations, bookings and cancellations). Assigned by the store, which ignores the
    /// value given on insert: a practice starts at a random value, so a practice deleted and
    /// loaded again does not repeat the versions it had before.
    pub diary_version: i64,
}

/// An organisation (the practice, or one it is part of) (SPEC 4.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub ods_code: OdsCode,
    pub name: String,
    pub telecom: Vec<ContactPoint>,
    pub addresses: Vec<Address>,
    pub part_of: Option<FhirId>,
}

/// A surgery or site where appointments take place (SPEC 4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub name: String,
    pub ods_site_code: Option<String>,
    pub address: Option<Address>,
    pub telecom: Vec<ContactPoint>,
    pub managing_organization: FhirId,
    pub type_: Option<Coding>,
    pub physical_type: Option<Coding>,
    pub part_of: Option<FhirId>,
}

/// A clinician or other member of staff (SPEC 4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PractitionerRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub sds_user_id: Option<String>,
    pub role_profile_ids: Vec<String>,
    pub name: HumanName,
    pub gender: Option<Gender>,
}

/// Whether the practice still looks after the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PatientStatus {
    Active,
    /// The patient has left the practice (SPEC 3.4: a register request re-activates them).
    Inactive,
    Deceased {
        date: Option<UkDateTime>,
    },
}

/// The patient's registration at the practice (`registrationDetails` extension, SPEC 4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub type_: RegistrationType,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// The branch surgery the patient prefers (`preferredBranchSurgery`, a Location).
    pub preferred_branch: Option<FhirId>,
}

/// The patient's language and interpreter needs (`nhsCommunication` extension, SPEC 4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhsCommunication {
    /// From `CareConnect-HumanLanguage-1`.
    pub language: Coding,
    pub interpreter_required: Option<bool>,
    pub preferred: Option<bool>,
}

/// A patient's contact person (SPEC 2.11: the relationship is free text only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientContact {
    /// `relationship[].text`, e.g. "Next of kin".
    pub relationships: Vec<String>,
    pub name: Option<HumanName>,
    pub telecom: Vec<ContactPoint>,
    pub address: Option<Address>,
    pub gender: Option<Gender>,
}

/// A patient on the practice index (SPEC 4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub nhs_number: NhsNumber,
    /// Whether the NHS number has been traced and verified (PDS or NHAIS) (SPEC 3.2).
    pub nhs_number_verified: bool,
    /// Exactly one name has `use_ == NameUse::Official` (SPEC 4.2).
    pub names: Vec<HumanName>,
    pub gender: Option<Gender>,
    pub birth_date: Date,
    pub telecom: Vec<ContactPoint>,
    pub addresses: Vec<Address>,
    pub contacts: Vec<PatientContact>,
    pub status: PatientStatus,
    /// The PDS sensitive (S) flag: such patients are treated as not found (SPEC 1).
    pub sensitive: bool,
    pub registration: Registration,
    pub general_practitioner: Option<FhirId>,
    pub managing_organization: FhirId,
    pub nhs_communication: Option<NhsCommunication>,
    /// Consent to share records. Not applied to Appointment Management (SPEC 1), kept for
    /// completeness of the record.
    pub consent_to_share: bool,
    /// Who last registered or re-activated the patient through the API, and when (SPEC 2.13:
    /// provenance of registrations); `None` for a record made on the practice system. Records
    /// stored without it load as `None`.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

impl PatientRecord {
    /// The patient may be returned by Find and Read (SPEC 3.2, 3.3): active, not deceased,
    /// not S-flagged and with a verified NHS number.
    pub fn is_active_for_sharing(&self) -> bool {
        self.status == PatientStatus::Active && !self.sensitive && self.nhs_number_verified
    }

    /// The official name, if the record has one.
    pub fn official_name(&self) -> Option<&HumanName> {
        self.names.iter().find(|n| n.use_ == NameUse::Official)
    }
}

/// A diary: the sessions of one location, optionally one practitioner (SPEC 3.10, 4.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    /// Where the appointments take place (SPEC 5: mandatory).
    pub location: FhirId,
    pub practitioner: Option<FhirId>,
    /// From `CareConnect-SDSJobRoleName-1` restricted to `GPConnect-PractitionerRole-1`.
    pub practitioner_role: Coding,
    /// Practice schedule type or session name (`serviceCategory.text`, SPEC 6.1).
    pub service_category: Option<String>,
    pub planning_horizon: (UkDateTime, UkDateTime),
}

/// How far ahead and how close to its start a slot may be offered (SPEC 5: booking window /
/// embargo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingWindow {
    /// The slot must start at least this many minutes after now.
    pub min_lead_minutes: i64,
    /// The slot's UK date must be at most this many days after today's UK date.
    pub max_days_ahead: i64,
}

/// One bookable period in a schedule (SPEC 3.10, 4.8, 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub schedule: FhirId,
    pub start: UkDateTime,
    pub end: UkDateTime,
    pub status: SlotStatus,
    pub delivery_channel: DeliveryChannel,
    /// Practice-defined slot type (`serviceType[0].text`, SPEC 6.1: SHALL).
    pub service_type: Option<String>,
    /// The practice marked the slot "GP Connect bookable" (SPEC 5).
    pub gpc_bookable: bool,
    /// Empty: no organisation-type restriction.
    pub restrict_org_types: Vec<OrgType>,
    /// Empty: no organisation-code restriction.
    pub restrict_ods_codes: Vec<OdsCode>,
    pub booking_window: Option<BookingWindow>,
}

/// Who a GP Connect booking was made for (SPEC 5, 9.23): the contained booking
/// organisation's ODS code and, when the consumer sent one, its organisation type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingParty {
    /// `None` when the value sent is not a well-formed ODS code (only type limits apply).
    pub ods_code: Option<OdsCode>,
    /// A `GPConnect-OrganisationType-1` code, as sent (not necessarily a known one).
    pub org_type: Option<String>,
}

/// An organisation access limit (SPEC 5: "limit the number of slots which can be booked by
/// an external organisation type or organisation(s)"): the organisations of the listed types
/// and those with the listed ODS codes may together hold at most `slots_per_day` slots of the
/// practice's diary starting on any one UK day, in appointments booked through GP Connect and
/// not cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingLimit {
    pub practice: OdsCode,
    pub id: FhirId,
    /// What the practice calls it (e.g. "NHS 111"), for messages and the practice's screens.
    pub name: String,
    pub org_types: Vec<OrgType>,
    pub ods_codes: Vec<OdsCode>,
    pub slots_per_day: u32,
}

impl BookingLimit {
    /// Whether bookings made for an organisation of `org_type` with code `ods` count against
    /// this limit.
    pub fn covers(&self, org_type: Option<&str>, ods: Option<&OdsCode>) -> bool {
        org_type.is_some_and(|t| self.org_types.iter().any(|o| o.code() == t))
            || ods.is_some_and(|c| self.ods_codes.contains(c))
    }
}

/// A slot held by a GP Connect booking made for `party`: what the limits count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedSlot {
    pub start: UkDateTime,
    pub party: BookingParty,
}

/// SPEC 5: what the organisation access limits leave an organisation (of `org_type`, with
/// code `ods`) to book, day by day, given the slots already booked.
#[derive(Debug, Clone)]
pub struct LimitCheck<'a> {
    /// The limits covering the organisation, each with the slots counted against it per day.
    covering: Vec<(&'a BookingLimit, std::collections::BTreeMap<Date, u32>)>,
}

impl<'a> LimitCheck<'a> {
    /// `booked` must hold every booked slot of the days that will be asked about, whoever it
    /// was booked for.
    pub fn new(
        limits: &'a [BookingLimit],
        booked: &[BookedSlot],
        org_type: Option<&str>,
        ods: Option<&OdsCode>,
    ) -> Self {
        let covering = limits
            .iter()
            .filter(|l| l.covers(org_type, ods))
            .map(|limit| {
                let mut per_day = std::collections::BTreeMap::new();
                for slot in booked {
                    if limit.covers(slot.party.org_type.as_deref(), slot.party.ods_code.as_ref()) {
                        *per_day.entry(slot.start.uk_date()).or_insert(0) += 1;
                    }
                }
                (limit, per_day)
            })
            .collect();
        Self { covering }
    }

    /// Whether no limit covers the organisation (nothing to check).
    pub fn is_unlimited(&self) -> bool {
        self.covering.is_empty()
    }

    /// The first limit that `more` further slots on `day` would go beyond, if any.
    pub fn breached_by(&self, day: Date, more: u32) -> Option<&'a BookingLimit> {
        self.covering.iter().find_map(|(limit, per_day)| {
            let used = per_day.get(&day).copied().unwrap_or(0);
            (used.saturating_add(more) > limit.slots_per_day).then_some(*limit)
        })
    }

    /// Whether one more slot starting at `start` may be booked.
    pub fn allows_one_at(&self, start: UkDateTime) -> bool {
        self.breached_by(start.uk_date(), 1).is_none()
    }
}

/// Whether a slot may be offered to (and booked by) a consumer that sent the given
/// `searchFilter` organisation type and ODS code (SPEC 5 matching table), at `now`.
///
/// The slot must also be free, GP Connect bookable and inside its booking window. An org type
/// that is not in `GPConnect-OrganisationType-1` (e.g. `oncology`) is not an error: it simply
/// matches no type restriction (SPEC 3.10).
pub fn slot_visible_to(
    slot: &SlotRecord,
    org_type: Option<&str>,
    ods: Option<&OdsCode>,
    now: UkDateTime,
) -> bool {
    if slot.status != SlotStatus::Free || !slot.gpc_bookable {
        return false;
    }
    if let Some(window) = slot.booking_window {
        if !inside_booking_window(slot, window, now) {
            return false;
        }
    }
    let no_type_rule = slot.restrict_org_types.is_empty();
    let no_code_rule = slot.restrict_ods_codes.is_empty();
    let type_matches =
        |t: &str| no_type_rule || slot.restrict_org_types.iter().any(|r| r.code() == t);
    let code_matches = |c: &OdsCode| no_code_rule || slot.restrict_ods_codes.contains(c);
    // SPEC 5: one row per combination of filters sent.
    match (org_type, ods) {
        (None, None) => no_type_rule && no_code_rule,
        (Some(t), None) => no_code_rule && type_matches(t),
        (None, Some(c)) => no_type_rule && code_matches(c),
        (Some(t), Some(c)) => type_matches(t) && code_matches(c),
    }
}

/// Whether a free-slot search at `now` offers `slot` to a consumer that sent the given
/// `searchFilter`s: [`slot_visible_to`], and the slot has not started yet (a slot that has
/// started cannot be booked, SPEC 3.11, so it is not offered).
pub fn slot_offered(
    slot: &SlotRecord,
    org_type: Option<&str>,
    ods: Option<&OdsCode>,
    now: UkDateTime,
) -> bool {
    slot.start > now && slot_visible_to(slot, org_type, ods, now)
}

/// The earliest instant after `now` at which [`slot_offered`] may give another answer for
/// `slot` (whatever the filters), its record unchanged: every answer at a time in
/// `[now, slot_offer_stable_until(slot, now))` is the answer at `now`.
///
/// The answer depends on time only through the slot's start, the minimum lead time of its
/// booking window (`start - lead`) and the UK date of `now` (days ahead are counted in UK
/// calendar days), so the result is the earliest of those still to come. A slot that has
/// started is never offered again, so its answer never changes.
pub fn slot_offer_stable_until(slot: &SlotRecord, now: UkDateTime) -> Option<UkDateTime> {
    let now_s = now.unix_seconds();
    let start = slot.start.unix_seconds();
    if start <= now_s {
        return None;
    }
    let mut until = start;
    if let Some(window) = slot.booking_window {
        let last_lead = start.saturating_sub(window.min_lead_minutes.saturating_mul(60));
        if last_lead > now_s {
            until = until.min(last_lead);
        }
        let midnight = now
            .uk_date()
            .tomorrow()
            .map(|d| UkDateTime::start_of_uk_day(d).unix_seconds())
            .unwrap_or(i64::MAX);
        until = until.min(midnight);
    }
    UkDateTime::from_unix_seconds(until)
}

fn inside_booking_window(slot: &SlotRecord, window: BookingWindow, now: UkDateTime) -> bool {
    let earliest = now
        .unix_seconds()
        .saturating_add(window.min_lead_minutes.saturating_mul(60));
    if slot.start.unix_seconds() < earliest {
        return false;
    }
    // "Days ahead" is counted in UK calendar days, as practice staff set it.
    let days_ahead = now
        .uk_date()
        .until((jiff::Unit::Day, slot.start.uk_date()))
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(i64::MAX);
    days_ahead <= window.max_days_ahead
}

/// Who wrote an appointment or a registration through the API, and when (SPEC 2.13
/// provenance: author id, name and role, originating organisation, interaction, time to the
/// second). Taken from the JWT and SSP headers of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `requesting_practitioner.id` (= `sub`).
    pub user_id: String,
    pub user_name: String,
    pub sds_user_id: Option<String>,
    pub role_profile_id: Option<String>,
    /// The requesting organisation's ODS code as sent (not checked against ODS).
    pub organization_ods: String,
    pub organization_name: String,
    /// `Ssp-TraceID`.
    pub trace_id: String,
    /// The `Ssp-InteractionID` URN.
    pub interaction: String,
    pub at: UkDateTime,
}

/// An appointment in the practice book (SPEC 3.11-3.15, 4.7).
///
/// Consumer-sent content that the provider must echo back (SPEC 2.11 must-support) is kept as
/// sent: `booking_organization` is the contained Organization JSON, `participants` the
/// `participant` array elements and `identifiers` the business identifiers. The typed
/// `patient`, `location` and `practitioner` fields repeat the participant actors for searching
/// and checking. For appointments made on the practice system `participants` may be empty, and
/// the resource is then built from the typed fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppointmentRecord {
    pub practice: OdsCode,
    pub id: FhirId,
    pub version: i64,
    pub status: AppointmentStatus,
    pub start: UkDateTime,
    pub end: UkDateTime,
    pub created: UkDateTime,
    pub slots: Vec<FhirId>,
    pub patient: FhirId,
    pub location: FhirId,
    pub practitioner: Option<FhirId>,
    pub description: String,
    pub comment: Option<String>,
    /// The `AppointmentCancellationReason-1` extension value (SPEC 3.14).
    pub cancellation_reason: Option<String>,
    pub priority: Option<i64>,
    pub minutes_duration: Option<i64>,
    /// Business identifiers sent by the consumer.
    pub identifiers: Vec<Identifier>,
    /// The contained booking Organization exactly as sent, `id` included (the extension's
    /// reference is `#` + that id); `Value::Null` when unknown (booked on the practice system).
    pub booking_organization: serde_json::Value,
    /// The `participant` elements exactly as sent (actor, status, type); empty when unknown.
    pub participants: Vec<serde_json::Value>,
    /// From the slot (SPEC 3.11: provider-populated).
    pub delivery_channel: Option<DeliveryChannel>,
    /// From the schedule (SPEC 3.11: provider-populated).
    pub practitioner_role: Option<Coding>,
    /// Slot type from the slot (`serviceType[0].text`).
    pub service_type: Option<String>,
    /// Schedule type from the schedule (`serviceCategory.text`).
    pub service_category: Option<String>,
    pub booked_via_gp_connect: bool,
    /// Who booked it.
    pub provenance: Provenance,
    /// Who last amended or cancelled it, if anyone.
    pub last_changed_by: Option<Provenance>,
}

/// A booking request as handed to the store: an [`AppointmentRecord`] without the `id` and
/// `version` the store assigns. The store takes every slot in `slots` atomically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAppointment {
    pub practice: OdsCode,
    pub status: AppointmentStatus,
    pub start: UkDateTime,
    pub end: UkDateTime,
    pub created: UkDateTime,
    pub slots: Vec<FhirId>,
    pub patient: FhirId,
    pub location: FhirId,
    pub practitioner: Option<FhirId>,
    pub description: String,
    pub comment: Option<String>,
    pub priority: Option<i64>,
    pub minutes_duration: Option<i64>,
    pub identifiers: Vec<Identifier>,
    pub booking_organization: serde_json::Value,
    pub participants: Vec<serde_json::Value>,
    pub delivery_channel: Option<DeliveryChannel>,
    pub practitioner_role: Option<Coding>,
    pub service_type: Option<String>,
    pub service_category: Option<String>,
    pub booked_via_gp_connect: bool,
    pub provenance: Provenance,
    /// The organisation a GP Connect booking was made for (SPEC 5 limits count it); `None`
    /// for bookings made on the practice system.
    #[serde(default)]
    pub booked_for: Option<BookingParty>,
}

impl NewAppointment {
    /// The record this request becomes once stored under `id` at `version`.
    pub fn into_record(self, id: FhirId, version: i64) -> AppointmentRecord {
        AppointmentRecord {
            practice: self.practice,
            id,
            version,
            status: self.status,
            start: self.start,
            end: self.end,
            created: self.created,
            slots: self.slots,
            patient: self.patient,
            location: self.location,
            practitioner: self.practitioner,
            description: self.description,
            comment: self.comment,
            cancellation_reason: None,
            priority: self.priority,
            minutes_duration: self.minutes_duration,
            identifiers: self.identifiers,
            booking_organization: self.booking_organization,
            participants: self.participants,
            delivery_channel: self.delivery_channel,
            practitioner_role: self.practitioner_role,
            service_type: self.service_type,
            service_category: self.service_category,
            booked_via_gp_connect: self.booked_via_gp_connect,
            provenance: self.provenance,
            last_changed_by: None,
        }
    }
}

/// One audited request (SPEC 2.13: every API access, accepted or rejected; cannot be turned
/// off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Assigned by the store when the event is appended: strictly increasing.
    pub seq: i64,
    pub at: UkDateTime,
    /// The practice addressed, when the URL named a hosted one.
    pub practice: Option<OdsCode>,
    /// `Ssp-TraceID` as sent.
    pub trace_id: Option<String>,
    /// The `Ssp-InteractionID` as sent.
    pub interaction: Option<String>,
    pub method: String,
    pub path: String,
    /// `Ssp-From` as sent.
    pub from_asid: Option<String>,
    /// `Ssp-To` as sent.
    pub to_asid: Option<String>,
    /// `requesting_practitioner.id` from the JWT.
    pub jwt_user: Option<String>,
    pub jwt_sds_user_id: Option<String>,
    pub jwt_organization_ods: Option<String>,
    /// The patient logical id or NHS number the request concerned.
    pub patient: Option<String>,
    /// The HTTP status returned.
    pub status: u16,
    /// The Spine error code returned, if the request was rejected.
    pub spine_code: Option<String>,
    pub detail: Option<String>,
}

impl AuditEvent {
    /// The `method` of an administrative action's event (not an HTTP request).
    pub const ADMIN_METHOD: &'static str = "ADMIN";

    /// The event of an administrative action (a command run on the database, not a request):
    /// what was done (`path`), to which practice if one, and the outcome in words.
    pub fn administration(practice: Option<OdsCode>, path: &str, detail: String) -> Self {
        Self {
            seq: 0,
            at: UkDateTime::now(),
            practice,
            trace_id: None,
            interaction: None,
            method: Self::ADMIN_METHOD.to_owned(),
            path: path.to_owned(),
            from_asid: None,
            to_asid: None,
            jwt_user: None,
            jwt_sds_user_id: None,
            jwt_organization_ods: None,
            patient: None,
            status: 200,
            spine_code: None,
            detail: Some(detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> UkDateTime {
        UkDateTime::parse(s).unwrap()
    }

    fn ods(s: &str) -> OdsCode {
        OdsCode::parse(s).unwrap()
    }

    fn slot() -> SlotRecord {
        SlotRecord {
            practice: ods("A20047"),
            id: FhirId::parse("1").unwrap(),
            version: 1,
            schedule: FhirId::parse("1").unwrap(),
            start: at("2026-03-02T09:00:00+00:00"),
            end: at("2026-03-02T09:10:00+00:00"),
            status: SlotStatus::Free,
            delivery_channel: DeliveryChannel::InPerson,
            service_type: Some("Routine".into()),
            gpc_bookable: true,
            restrict_org_types: vec![],
            restrict_ods_codes: vec![],
            booking_window: None,
        }
    }

    fn now() -> UkDateTime {
        at("2026-03-01T12:00:00+00:00")
    }

    fn typed(types: &[OrgType]) -> SlotRecord {
        SlotRecord {
            restrict_org_types: types.to_vec(),
            ..slot()
        }
    }

    fn coded(codes: &[&str]) -> SlotRecord {
        SlotRecord {
            restrict_ods_codes: codes.iter().map(|c| ods(c)).collect(),
            ..slot()
        }
    }

    fn both(types: &[OrgType], codes: &[&str]) -> SlotRecord {
        SlotRecord {
            restrict_org_types: types.to_vec(),
            restrict_ods_codes: codes.iter().map(|c| ods(c)).collect(),
            ..slot()
        }
    }

    const GP: OrgType = OrgType::GpPractice;
    const UC: OrgType = OrgType::UrgentCare;

    #[test]
    fn no_filter_sees_only_unrestricted_slots() {
        assert!(slot_visible_to(&slot(), None, None, now()));
        assert!(!slot_visible_to(&typed(&[GP]), None, None, now()));
        assert!(!slot_visible_to(&coded(&["A1001"]), None, None, now()));
        assert!(!slot_visible_to(
            &both(&[GP], &["A1001"]),
            None,
            None,
            now()
        ));
    }

    #[test]
    fn org_type_only_sees_unrestricted_and_matching_type_without_code_rule() {
        let t = Some("urgent-care");
        assert!(slot_visible_to(&slot(), t, None, now()));
        assert!(slot_visible_to(&typed(&[UC]), t, None, now()));
        assert!(slot_visible_to(&typed(&[GP, UC]), t, None, now()));
        assert!(!slot_visible_to(&typed(&[GP]), t, None, now()));
        assert!(!slot_visible_to(&coded(&["A1001"]), t, None, now()));
        assert!(!slot_visible_to(&both(&[UC], &["A1001"]), t, None, now()));
    }

    #[test]
    fn unknown_org_type_matches_only_slots_without_type_rule() {
        let t = Some("oncology");
        assert!(slot_visible_to(&slot(), t, None, now()));
        assert!(!slot_visible_to(&typed(&[GP]), t, None, now()));
    }

    #[test]
    fn ods_code_only_sees_unrestricted_and_matching_code_without_type_rule() {
        let c = ods("A1001");
        assert!(slot_visible_to(&slot(), None, Some(&c), now()));
        assert!(slot_visible_to(&coded(&["A1001"]), None, Some(&c), now()));
        assert!(slot_visible_to(
            &coded(&["B2002", "A1001"]),
            None,
            Some(&c),
            now()
        ));
        assert!(!slot_visible_to(&coded(&["B2002"]), None, Some(&c), now()));
        assert!(!slot_visible_to(&typed(&[GP]), None, Some(&c), now()));
        assert!(!slot_visible_to(
            &both(&[GP], &["A1001"]),
            None,
            Some(&c),
            now()
        ));
    }

    #[test]
    fn type_and_code_must_each_match_their_rule_when_present() {
        let t = Some("gp-practice");
        let c = ods("A1001");
        assert!(slot_visible_to(&slot(), t, Some(&c), now()));
        assert!(slot_visible_to(&typed(&[GP]), t, Some(&c), now()));
        assert!(slot_visible_to(&coded(&["A1001"]), t, Some(&c), now()));
        assert!(slot_visible_to(
            &both(&[GP], &["A1001"]),
            t,
            Some(&c),
            now()
        ));
        assert!(!slot_visible_to(&typed(&[UC]), t, Some(&c), now()));
        assert!(!slot_visible_to(&coded(&["B2002"]), t, Some(&c), now()));
        assert!(!slot_visible_to(
            &both(&[GP], &["B2002"]),
            t,
            Some(&c),
            now()
        ));
        assert!(!slot_visible_to(
            &both(&[UC], &["A1001"]),
            t,
            Some(&c),
            now()
        ));
    }

    #[test]
    fn busy_or_not_bookable_slots_are_never_visible() {
        for status in [
            SlotStatus::Busy,
            SlotStatus::BusyUnavailable,
            SlotStatus::BusyTentative,
            SlotStatus::EnteredInError,
        ] {
            let s = SlotRecord { status, ..slot() };
            assert!(!slot_visible_to(&s, None, None, now()), "{status}");
        }
        let s = SlotRecord {
            gpc_bookable: false,
            ..slot()
        };
        assert!(!slot_visible_to(&s, None, None, now()));
    }

    #[test]
    fn booking_window_hides_slots_too_soon_or_too_far_ahead() {
        let with = |min_lead_minutes, max_days_ahead| SlotRecord {
            booking_window: Some(BookingWindow {
                min_lead_minutes,
                max_days_ahead,
            }),
            ..slot()
        };
        // The slot starts 21 hours after now, on the next UK day.
        assert!(slot_visible_to(&with(60, 1), None, None, now()));
        assert!(slot_visible_to(&with(21 * 60, 1), None, None, now()));
        assert!(!slot_visible_to(&with(21 * 60 + 1, 1), None, None, now()));
        assert!(!slot_visible_to(&with(0, 0), None, None, now()));
    }

    #[test]
    fn the_offer_stays_the_same_until_the_instant_given() {
        let window = |min_lead_minutes, max_days_ahead| {
            Some(BookingWindow {
                min_lead_minutes,
                max_days_ahead,
            })
        };
        // now = 2026-03-01 12:00 UTC; the slot starts 2026-03-02 09:00 UTC.
        let cases = [
            (None, Some("2026-03-02T09:00:00+00:00")),
            (window(60, 1), Some("2026-03-02T00:00:00+00:00")),
            (window(21 * 60 - 30, 1), Some("2026-03-01T12:30:00+00:00")),
            (window(0, 0), Some("2026-03-02T00:00:00+00:00")),
            (window(30 * 60, 5), Some("2026-03-02T00:00:00+00:00")),
        ];
        let filters: [(Option<&str>, Option<OdsCode>); 3] = [
            (None, None),
            (Some("urgent-care"), None),
            (Some("gp-practice"), Some(ods("A1001"))),
        ];
        for (booking_window, expected) in cases {
            let s = SlotRecord {
                booking_window,
                ..slot()
            };
            let until = slot_offer_stable_until(&s, now());
            assert_eq!(until.map(|u| u.to_string()), expected.map(str::to_owned));
            let until = until.unwrap().unix_seconds();
            // Every second up to (not including) the instant gives the answer at now.
            for (t, c) in &filters {
                let at_now = slot_offered(&s, *t, c.as_ref(), now());
                let mut second = now().unix_seconds();
                while second < until {
                    let then = UkDateTime::from_unix_seconds(second).unwrap();
                    assert_eq!(slot_offered(&s, *t, c.as_ref(), then), at_now, "{then}");
                    second += 60;
                }
                let last = UkDateTime::from_unix_seconds(until - 1).unwrap();
                assert_eq!(slot_offered(&s, *t, c.as_ref(), last), at_now);
            }
        }
        // A started slot is never offered again.
        let started = SlotRecord {
            start: at("2026-03-01T11:00:00+00:00"),
            ..slot()
        };
        assert_eq!(slot_offer_stable_until(&started, now()), None);
        assert!(!slot_offered(&started, None, None, now()));
    }

    #[test]
    fn codes_round_trip_through_serde_and_from_code() {
        for c in DeliveryChannel::ALL {
            assert_eq!(DeliveryChannel::from_code(c.code()), Some(*c));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(DeliveryChannel::InPerson.code(), "In-person");
        assert_eq!(DeliveryChannel::from_code("in-person"), None);
        assert_eq!(RegistrationType::ImmediatelyNecessary.code(), "IN");
        assert_eq!(RegistrationType::Synthetic.display(), "Synthetic Record");
        assert_eq!(
            AppointmentStatus::from_code("entered-in-error"),
            Some(AppointmentStatus::EnteredInError)
        );
    }

    #[test]
    fn sharing_requires_active_verified_unflagged_patient() {
        let base = PatientRecord {
            practice: ods("A20047"),
            id: FhirId::parse("2").unwrap(),
            version: 1,
            nhs_number: NhsNumber::parse("9658218865").unwrap(),
            nhs_number_verified: true,
            names: vec![HumanName {
                use_: NameUse::Official,
                family: "Smith".into(),
                given: vec!["Jo".into()],
                prefix: vec![],
            }],
            gender: Some(Gender::Female),
            birth_date: jiff::civil::date(1980, 1, 2),
            telecom: vec![],
            addresses: vec![],
            contacts: vec![],
            status: PatientStatus::Active,
            sensitive: false,
            registration: Registration {
                type_: RegistrationType::Regular,
                period_start: None,
                period_end: None,
                preferred_branch: None,
            },
            general_practitioner: None,
            managing_organization: FhirId::parse("1").unwrap(),
            nhs_communication: None,
            consent_to_share: false,
            provenance: None,
        };
        assert!(base.is_active_for_sharing());
        assert_eq!(
            base.official_name().map(|n| n.family.as_str()),
            Some("Smith")
        );
        let variants = [
            PatientRecord {
                status: PatientStatus::Inactive,
                ..base.clone()
            },
            PatientRecord {
                status: PatientStatus::Deceased { date: None },
                ..base.clone()
            },
            PatientRecord {
                sensitive: true,
                ..base.clone()
            },
            PatientRecord {
                nhs_number_verified: false,
                ..base.clone()
            },
        ];
        for p in variants {
            assert!(!p.is_active_for_sharing(), "{p:?}");
        }
    }

    #[test]
    fn a_patient_stored_without_provenance_still_loads() {
        let mut record = serde_json::to_value(patient_record()).unwrap();
        record.as_object_mut().unwrap().remove("provenance");
        let loaded: PatientRecord = serde_json::from_value(record).unwrap();
        assert_eq!(loaded.provenance, None);
        assert_eq!(
            loaded,
            PatientRecord {
                provenance: None,
                ..patient_record()
            }
        );
    }

    fn patient_record() -> PatientRecord {
        PatientRecord {
            practice: ods("A20047"),
            id: FhirId::parse("7").unwrap(),
            version: 3,
            nhs_number: NhsNumber::parse("9658218865").unwrap(),
            nhs_number_verified: true,
            names: vec![],
            gender: None,
            birth_date: jiff::civil::date(1980, 1, 2),
            telecom: vec![],
            addresses: vec![],
            contacts: vec![],
            status: PatientStatus::Active,
            sensitive: false,
            registration: Registration {
                type_: RegistrationType::Temporary,
                period_start: None,
                period_end: None,
                preferred_branch: None,
            },
            general_practitioner: None,
            managing_organization: FhirId::parse("1").unwrap(),
            nhs_communication: None,
            consent_to_share: true,
            provenance: Some(Provenance {
                user_id: "1".into(),
                user_name: "Dr Kenneth Saunders".into(),
                sds_user_id: None,
                role_profile_id: None,
                organization_ods: "A1001".into(),
                organization_name: "Urgent Care Centre".into(),
                trace_id: "5a1e1a6f-3c2b-4f42-9b1c-0e6f1b0c2d3e".into(),
                interaction:
                    "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1".into(),
                at: UkDateTime::parse("2029-12-01T10:00:00+00:00").unwrap(),
            }),
        }
    }

    fn limit(types: &[OrgType], codes: &[&str], per_day: u32) -> BookingLimit {
        BookingLimit {
            practice: ods("A20047"),
            id: FhirId::parse("l1").unwrap(),
            name: "Limit".into(),
            org_types: types.to_vec(),
            ods_codes: codes.iter().map(|c| ods(c)).collect(),
            slots_per_day: per_day,
        }
    }

    fn booked(start: &str, code: &str, org_type: Option<&str>) -> BookedSlot {
        BookedSlot {
            start: UkDateTime::parse(start).unwrap(),
            party: BookingParty {
                ods_code: Some(ods(code)),
                org_type: org_type.map(str::to_owned),
            },
        }
    }

    #[test]
    fn a_limit_covers_its_types_and_its_codes() {
        let l = limit(&[OrgType::UrgentCare], &["Y90001"], 2);
        assert!(l.covers(Some("urgent-care"), None));
        assert!(l.covers(None, Some(&ods("Y90001"))));
        assert!(l.covers(Some("gp-practice"), Some(&ods("Y90001"))));
        assert!(!l.covers(Some("gp-practice"), Some(&ods("A20047"))));
        assert!(!l.covers(None, None));
    }

    #[test]
    fn limits_count_the_covered_organisations_slots_per_uk_day() {
        let limits = [limit(&[OrgType::UrgentCare], &["Y90001"], 2)];
        let slots = [
            // 2 March, counted: Y90001, and another urgent care service.
            booked("2030-03-02T09:00:00+00:00", "Y90001", None),
            booked("2030-03-02T23:30:00+00:00", "B1", Some("urgent-care")),
            // Not covered.
            booked("2030-03-02T10:00:00+00:00", "C1", Some("gp-practice")),
            // 23:30 UTC on 31 March 2030 is 00:30 BST on 1 April: counted on the UK day, 1 April.
            booked("2030-03-31T23:30:00+00:00", "Y90001", None),
        ];
        let check = LimitCheck::new(&limits, &slots, None, Some(&ods("Y90001")));
        assert!(!check.is_unlimited());
        let day = |d: &str| d.parse::<Date>().unwrap();
        assert_eq!(
            check
                .breached_by(day("2030-03-02"), 1)
                .map(|l| l.id.as_str()),
            Some("l1")
        );
        assert!(check.breached_by(day("2030-03-02"), 0).is_none());
        assert!(check.breached_by(day("2030-04-01"), 1).is_none());
        assert!(check.breached_by(day("2030-04-01"), 2).is_some());
        assert!(check.allows_one_at(UkDateTime::parse("2030-03-03T09:00:00+00:00").unwrap()));
        assert!(!check.allows_one_at(UkDateTime::parse("2030-03-02T15:00:00+00:00").unwrap()));
        // An organisation no limit covers is not limited at all.
        let free = LimitCheck::new(&limits, &slots, Some("gp-practice"), Some(&ods("C1")));
        assert!(free.is_unlimited());
        assert!(free.breached_by(day("2030-03-02"), 100).is_none());
        // A limit of nothing closes every day.
        let closed = [limit(&[], &["Y90001"], 0)];
        let none = LimitCheck::new(&closed, &[], None, Some(&ods("Y90001")));
        assert!(none.breached_by(day("2030-05-05"), 1).is_some());
    }
}
