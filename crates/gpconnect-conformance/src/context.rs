//! What every test case shares: the HTTP client, the provider's address and test data, the
//! default JWT identity, and the setup chains the scenarios build on, made of real calls as the
//! official suite makes them (ATS 1.1): find a patient, search free slots, book, register.
//!
//! Cases run concurrently, so shared resources are handed out so that outcomes do not depend
//! on timing: each booking takes a slot no other case of this run has taken, each registration
//! takes its own person from the pool. Every appointment a case creates is remembered and
//! cancelled when the run ends (the official suite's teardown).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use gpconnect_client::config::{OrganisationConfig, SystemConfig, UserConfig};
use gpconnect_client::jwt::JwtClaims;
use gpconnect_domain::{Interaction, OdsCode, UkDateTime};
use gpconnect_fhir::Format;
use jiff::civil::Date;
use jiff::ToSpan;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::check::elements::{
    array, entries, extensions, reference_id, text, APPOINTMENT_PROFILE, BOOKING_ORGANISATION,
    CANCELLATION_REASON, DELIVERY_CHANNEL, NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION,
    ODS_CODE_SYSTEM, ORGANIZATION_PROFILE, ORG_TYPE_SYSTEM, PATIENT_PROFILE, PRACTITIONER_ROLE,
    SDS_USER_SYSTEM,
};
use crate::fixture::{Fixture, PoolPerson};
use crate::request::{Call, FROM, TO, TRACE_ID};
use crate::response::Reply;
use crate::verdict::{ensure, fail, Check, Failure};
use crate::SuiteError;

/// The search filter naming the booking organisation's type (SPEC 5).
pub(crate) const URGENT_CARE: &str = "urgent-care";

/// Shared by every case of one run.
#[derive(Debug)]
pub(crate) struct Ctx {
    base_url: String,
    pub(crate) fixture: Fixture,
    http: reqwest::Client,
    user: UserConfig,
    organisation: OrganisationConfig,
    system: SystemConfig,
    /// Slots a case of this run has booked or is about to book.
    taken_slots: Mutex<HashSet<String>>,
    /// Appointments created in this run, cancelled at the end.
    booked: Mutex<Vec<String>>,
    /// The next registration pool entry to try.
    pool_next: tokio::sync::Mutex<usize>,
    /// Rotates through the "existing patient" pool (ATS `RandomPatient`).
    next_existing: AtomicUsize,
}

/// How a booking's setup chain is made (ATS 3.6 and the AppointmentBook variations).
#[derive(Debug, Clone)]
pub(crate) struct Booking {
    /// The patient key; `None` takes the next "existing patient".
    pub(crate) patient: Option<String>,
    /// Search the whole day after tomorrow ("in 2 days") instead of the next 14 days.
    pub(crate) day_two: bool,
    /// Search with the organisation-type filter and put the type on the booking organisation.
    pub(crate) org_type: bool,
    /// Copy the slot's DeliveryChannel-2 extension into the request.
    pub(crate) delivery_channel: bool,
    /// Add a PractitionerRole-1 extension (R0260) to the request.
    pub(crate) practitioner_role: bool,
    /// `serviceCategory.text` and `serviceType[0].text` to send.
    pub(crate) service: ServiceText,
    /// The requesting organisation in the JWT, when not the consumer's.
    pub(crate) jwt_ods: Option<String>,
}

/// The serviceCategory and serviceType text a booking request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServiceText {
    /// Copied from the Schedule and the Slot.
    FromSlot,
    /// Sent as given (the provider must ignore them, SPEC 6.1).
    Custom(&'static str, &'static str),
    /// Not sent.
    Omitted,
}

impl Default for Booking {
    fn default() -> Self {
        Self {
            patient: None,
            day_two: false,
            org_type: true,
            delivery_channel: false,
            practitioner_role: false,
            service: ServiceText::FromSlot,
            jwt_ods: None,
        }
    }
}

impl Booking {
    /// The default booking for patient `key`.
    pub(crate) fn for_patient(key: &str) -> Self {
        Self {
            patient: Some(key.to_owned()),
            ..Self::default()
        }
    }
}

/// A booking request ready to send: the body and what it was built from.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) body: Value,
    pub(crate) patient_id: String,
    /// The JWT organisation to book with, if not the default.
    pub(crate) jwt_ods: Option<String>,
}

/// A booked appointment as the 201 answer returned it.
#[derive(Debug, Clone)]
pub(crate) struct Booked {
    pub(crate) appointment: Value,
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) patient_id: String,
}

/// A slot search window.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Window {
    /// From midnight `from` days ahead to midnight `to` days ahead (ATS "std slot params").
    Days { from: i64, to: i64 },
}

/// What the teardown did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Teardown {
    /// Appointments created by the run.
    pub created: usize,
    /// Of those, cancelled by the teardown.
    pub cancelled: usize,
    /// Of those, the teardown could not read or cancel.
    pub failed: usize,
}

impl Ctx {
    /// A context for the provider at `base_url`.
    pub(crate) fn new(
        base_url: &str,
        fixture: Fixture,
        timeout: Duration,
    ) -> Result<Self, SuiteError> {
        let http = reqwest::Client::builder()
            // ATS 1.6: the suite's client does not decompress on its own; gzip is decoded
            // here, and only when asked for.
            .no_gzip()
            .timeout(timeout)
            .build()
            .map_err(|e| SuiteError::Client(e.to_string()))?;
        let organisation = OrganisationConfig {
            ods_code: OdsCode::parse(&fixture.consumer.ods_code)
                .map_err(|e| SuiteError::Fixture(format!("consumer.ods_code: {e}")))?,
            name: fixture.consumer.name.clone(),
            telephone: None,
        };
        // ATS 1.4: the default requesting practitioner and device.
        let user = UserConfig {
            id: "1".to_owned(),
            sds_user_id: "GCASDS0001".to_owned(),
            role_profile_id: "112233445566".to_owned(),
            family: "AssurancePractitioner".to_owned(),
            given: vec!["AssuranceTest".to_owned()],
            prefix: vec!["Mr".to_owned()],
            local_user_id: Some("98ed4f78-814d-4266-8d5b-cde742f3093c".to_owned()),
            local_user_id_system: "https://consumersupplier.com/Id/user-guid".to_owned(),
        };
        let system = SystemConfig {
            issuer: fixture.consumer.issuer.clone(),
            device_model: "v1".to_owned(),
            device_version: "1.1".to_owned(),
            device_identifier_system: "GPConnectTestSystem".to_owned(),
            device_identifier_value: "Client".to_owned(),
        };
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            fixture,
            http,
            user,
            organisation,
            system,
            taken_slots: Mutex::new(HashSet::new()),
            booked: Mutex::new(Vec::new()),
            pool_next: tokio::sync::Mutex::new(0),
            next_existing: AtomicUsize::new(0),
        })
    }

    /// Today in the UK.
    pub(crate) fn today(&self) -> Date {
        UkDateTime::now().uk_date()
    }

    /// The date `days` after today.
    pub(crate) fn day(&self, days: i64) -> Date {
        let today = self.today();
        today.checked_add(days.days()).unwrap_or(today)
    }

    /// Midnight (UK) `days` after today, as `yyyy-mm-ddThh:mm:ss+hh:mm`.
    pub(crate) fn midnight(&self, days: i64) -> String {
        UkDateTime::start_of_uk_day(self.day(days)).to_string()
    }

    /// The default JWT claims for `interaction` (ATS 1.4: issued 2 s ago, `exp = iat + 300`).
    pub(crate) fn claims(&self, interaction: Interaction) -> Map<String, Value> {
        let now = jiff::Timestamp::now().as_second() - 2;
        let claims = JwtClaims::new(
            &self.user,
            &self.organisation,
            &self.system,
            &self.fixture.consumer.audience,
            interaction,
            now,
        );
        match claims.to_json() {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// A request for `interaction` on `path` with the default headers and JWT.
    pub(crate) fn call(&self, interaction: Interaction, path: impl Into<String>) -> Call {
        Call::new(interaction, path, self.claims(interaction))
    }

    /// Sends `call` and reads the answer. A successful booking is remembered for the
    /// teardown, whatever the case expected.
    pub(crate) async fn send(&self, call: Call) -> Check<Reply> {
        let url = call.url(&self.base_url);
        let mut headers = reqwest::header::HeaderMap::new();
        let defaults = [
            (TRACE_ID, uuid::Uuid::new_v4().to_string()),
            (FROM, self.fixture.consumer_asid.clone()),
            (TO, self.fixture.provider_asid.clone()),
            ("Accept", Format::Json.mime().to_owned()),
            ("Authorization", call.authorization()),
        ];
        let body = call.body_bytes()?;
        let content_type = body.as_ref().map(|(_, t)| ("Content-Type", t.clone()));
        let changes = call.headers.iter().map(|(n, v)| (n.as_str(), v.clone()));
        for (name, value) in defaults
            .into_iter()
            .chain(content_type)
            .map(|(n, v)| (n, Some(v)))
            .chain(changes)
        {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| Failure::new(format!("bad header name {name}: {e}")))?;
            match value {
                Some(value) => {
                    headers.insert(name, header_value(&value)?);
                }
                None => {
                    headers.remove(name);
                }
            }
        }
        let mut request = self
            .http
            .request(call.method.clone(), &url)
            .headers(headers);
        if let Some((bytes, _)) = body {
            request = request.body(bytes);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure::new(format!("{} {url}: {e}", call.method)))?;
        let status = response.status().as_u16();
        let response_headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| Failure::new(format!("reading the answer to {url}: {e}")))?;
        let reply = Reply::read(
            status,
            response_headers,
            body.to_vec(),
            call.asks_for_gzip(),
        )?;
        if call.final_header(crate::request::INTERACTION_ID)
            == Some(Interaction::BookAppointment.id())
            && status == 201
        {
            self.remember_booking(&reply);
        }
        Ok(reply)
    }

    /// Keeps the id of a created appointment for the teardown: from the body, or from the
    /// `Location` header of a `return=minimal` answer (SPEC 2.7).
    fn remember_booking(&self, reply: &Reply) {
        let id = reply
            .resource()
            .ok()
            .and_then(|r| text(&r["id"]).map(str::to_owned))
            .or_else(|| {
                let location = reply.header("location")?;
                let after = location.split("/Appointment/").nth(1)?;
                after.split('/').next().map(str::to_owned)
            });
        if let (Some(id), Ok(mut booked)) = (id, self.booked.lock()) {
            booked.push(id);
        }
    }

    /// Reads the resource a relative reference names, through its read interaction
    /// (ATS: "resolvable" references).
    pub(crate) async fn resolve(&self, reference: &str) -> Check<Value> {
        let (resource_type, interaction) = [
            ("Patient", Interaction::ReadPatient),
            ("Practitioner", Interaction::ReadPractitioner),
            ("Organization", Interaction::ReadOrganization),
            ("Location", Interaction::ReadLocation),
            ("Appointment", Interaction::ReadAppointment),
        ]
        .into_iter()
        .find(|(t, _)| reference_id(reference, t).is_some())
        .ok_or_else(|| Failure::new(format!("{reference:?} is not a relative reference")))?;
        let reply = self.send(self.call(interaction, reference)).await?;
        reply
            .status(200)
            .map_err(|f| f.context(&format!("reading {reference}")))?;
        reply
            .resource_of(resource_type)
            .map_err(|f| f.context(&format!("reading {reference}")))
    }

    /// Searches Patient by the NHS number of patient `key` (or a raw NHS number).
    pub(crate) async fn search_patient_by_nhs(&self, nhs: &str) -> Check<Reply> {
        let call = self
            .call(Interaction::SearchPatient, "Patient")
            .param("identifier", format!("{NHS_NUMBER_SYSTEM}|{nhs}"));
        self.send(call).await
    }

    /// The logical id of patient `key`, found by a Patient search as the suite does
    /// ("get the Patient for patientN").
    pub(crate) async fn patient_id(&self, key: &str) -> Check<String> {
        let nhs = self.fixture.nhs(key).to_owned();
        let setup = |f: Failure| f.context(&format!("setup: finding {key} ({nhs})"));
        let reply = self.search_patient_by_nhs(&nhs).await.map_err(setup)?;
        reply.status(200).map_err(setup)?;
        let bundle = reply.resource_of("Bundle").map_err(setup)?;
        entries(&bundle, "Patient")
            .first()
            .and_then(|p| text(&p["id"]))
            .map(str::to_owned)
            .ok_or_else(|| setup(Failure::new("no Patient found")))
    }

    /// The logical id of practitioner `key`, found by a Practitioner search.
    pub(crate) async fn practitioner_id(&self, key: &str) -> Check<String> {
        let (sds, _) = self.fixture.practitioner(key);
        let setup = |f: Failure| f.context(&format!("setup: finding {key} ({sds})"));
        let call = self
            .call(Interaction::SearchPractitioner, "Practitioner")
            .param("identifier", format!("{SDS_USER_SYSTEM}|{sds}"));
        let reply = self.send(call).await.map_err(setup)?;
        reply.status(200).map_err(setup)?;
        let bundle = reply.resource_of("Bundle").map_err(setup)?;
        entries(&bundle, "Practitioner")
            .first()
            .and_then(|p| text(&p["id"]))
            .map(str::to_owned)
            .ok_or_else(|| setup(Failure::new("no Practitioner found")))
    }

    /// The logical id of the practice's Organization (ATS ORG1), found by a search.
    pub(crate) async fn organization_id(&self) -> Check<String> {
        let ods = self.fixture.organisation.ods_code.clone();
        let setup = |f: Failure| f.context(&format!("setup: finding Organization {ods}"));
        let call = self
            .call(Interaction::SearchOrganization, "Organization")
            .param("identifier", format!("{ODS_CODE_SYSTEM}|{ods}"));
        let reply = self.send(call).await.map_err(setup)?;
        reply.status(200).map_err(setup)?;
        let bundle = reply.resource_of("Bundle").map_err(setup)?;
        entries(&bundle, "Organization")
            .first()
            .and_then(|p| text(&p["id"]))
            .map(str::to_owned)
            .ok_or_else(|| setup(Failure::new("no Organization found")))
    }

    /// The next patient of the "existing patient" pool (ATS `RandomPatient`).
    pub(crate) fn existing_patient(&self) -> String {
        let existing = &self.fixture.patient_roles.existing;
        let index = self.next_existing.fetch_add(1, Ordering::Relaxed);
        existing
            .get(index % existing.len().max(1))
            .cloned()
            .unwrap_or_default()
    }

    /// A slot search request over `window` with the standard parameters and filters
    /// (ATS 2.3: the practice's ODS code and, when `org_type`, urgent-care).
    pub(crate) fn slot_call(&self, window: Window, org_type: bool) -> Call {
        let Window::Days { from, to } = window;
        let mut call = self
            .call(Interaction::SearchSlots, "Slot")
            .param("start", format!("ge{}", self.midnight(from)))
            .param("end", format!("le{}", self.midnight(to)))
            .param("status", "free")
            .param(
                "searchFilter",
                format!("{ODS_CODE_SYSTEM}|{}", self.fixture.organisation.ods_code),
            );
        if org_type {
            call = call.param("searchFilter", format!("{ORG_TYPE_SYSTEM}|{URGENT_CARE}"));
        }
        call.param("_include", "Slot:schedule")
    }

    /// Builds a booking request as the suite does (ATS 3.6): finds the patient, searches free
    /// slots, takes the first one no other case has taken, and writes the default body.
    pub(crate) async fn prepare_booking(&self, booking: &Booking) -> Check<Prepared> {
        let key = booking
            .patient
            .clone()
            .unwrap_or_else(|| self.existing_patient());
        let patient_id = self.patient_id(&key).await?;
        let window = if booking.day_two {
            Window::Days { from: 2, to: 3 }
        } else {
            Window::Days { from: 1, to: 15 }
        };
        let setup = |f: Failure| f.context("setup: free slot search");
        let reply = self
            .send(self.slot_call(window, booking.org_type))
            .await
            .map_err(setup)?;
        reply.status(200).map_err(setup)?;
        let bundle = reply.resource_of("Bundle").map_err(setup)?;
        let slot = {
            let mut taken = self
                .taken_slots
                .lock()
                .map_err(|_| Failure::new("setup: slot register unusable"))?;
            let slot = entries(&bundle, "Slot")
                .into_iter()
                .find(|s| text(&s["id"]).is_some_and(|id| !taken.contains(id)))
                .cloned()
                .ok_or_else(|| setup(Failure::new("no free slot left to book")))?;
            taken.insert(text(&slot["id"]).unwrap_or_default().to_owned());
            slot
        };
        let body = self.booking_body(&bundle, &slot, &patient_id, booking)?;
        Ok(Prepared {
            body,
            patient_id,
            jwt_ods: booking.jwt_ods.clone(),
        })
    }

    /// The default booking body (ATS 3.6) for `slot` of `bundle`.
    fn booking_body(
        &self,
        bundle: &Value,
        slot: &Value,
        patient_id: &str,
        booking: &Booking,
    ) -> Check<Value> {
        let setup = |reason: &str| Failure::new(format!("setup: {reason}"));
        let schedule_ref = text(&slot["schedule"]["reference"])
            .ok_or_else(|| setup("the slot has no schedule reference"))?;
        // ATS 3.5: the booking builder matches the schedule reference case-sensitively.
        let schedule = entries(bundle, "Schedule")
            .into_iter()
            .find(|s| text(&s["id"]).is_some_and(|id| format!("Schedule/{id}") == schedule_ref))
            .ok_or_else(|| setup("the slot's Schedule is not in the bundle"))?;
        let location = array(&schedule["actor"])
            .iter()
            .filter_map(|a| text(&a["reference"]))
            .find(|r| r.contains("Location"))
            .ok_or_else(|| setup("the slot's Schedule has no Location actor"))?;
        let participant = |reference: String| {
            json!({
                "type": [{ "coding": [{
                    "system": "http://hl7.org/fhir/encounter-participant-type",
                    "code": "PART",
                    "display": "Participation"
                }]}],
                "actor": { "reference": reference },
                "status": "accepted"
            })
        };
        let mut organisation = json!({
            "resourceType": "Organization",
            "id": "1",
            "meta": { "profile": [ORGANIZATION_PROFILE] },
            "identifier": [{ "system": ODS_CODE_SYSTEM, "value": self.fixture.organisation.ods_code }],
            "name": "Test Suite Validator",
            "telecom": [{ "system": "phone", "value": "01823938938", "use": "temp" }]
        });
        if booking.org_type {
            organisation["type"] = json!([{ "coding": [{
                "system": ORG_TYPE_SYSTEM, "code": URGENT_CARE, "display": "Urgent Care"
            }]}]);
        }
        let mut extension = vec![json!({
            "url": BOOKING_ORGANISATION,
            "valueReference": { "reference": "#1" }
        })];
        if booking.practitioner_role {
            extension.push(json!({
                "url": PRACTITIONER_ROLE,
                "valueCodeableConcept": { "coding": [{
                    "system": "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
                    "code": "R0260",
                    "display": "General Medical Practitioner"
                }]}
            }));
        }
        if booking.delivery_channel {
            let channel = extensions(slot, DELIVERY_CHANNEL)
                .first()
                .map(|e| (*e).clone())
                .ok_or_else(|| setup("the slot has no DeliveryChannel-2 extension"))?;
            extension.push(channel);
        }
        let mut body = json!({
            "resourceType": "Appointment",
            "meta": { "profile": [APPOINTMENT_PROFILE] },
            "contained": [organisation],
            "extension": extension,
            "status": "booked",
            "description": "Default Description",
            "start": slot["start"],
            "end": slot["end"],
            "slot": [{ "reference": format!("Slot/{}", text(&slot["id"]).unwrap_or_default()) }],
            "created": jiff::Timestamp::now().to_string(),
            "participant": [
                participant(format!("Patient/{patient_id}")),
                participant(location.to_owned()),
            ]
        });
        let (category, service_type) = match &booking.service {
            ServiceText::FromSlot => (
                text(&schedule["serviceCategory"]["text"]).map(str::to_owned),
                array(&slot["serviceType"])
                    .iter()
                    .find_map(|t| text(&t["text"]))
                    .map(str::to_owned),
            ),
            ServiceText::Custom(c, t) => (Some((*c).to_owned()), Some((*t).to_owned())),
            ServiceText::Omitted => (None, None),
        };
        if let Some(category) = category {
            body["serviceCategory"] = json!({ "text": category });
        }
        if let Some(service_type) = service_type {
            body["serviceType"] = json!([{ "text": service_type }]);
        }
        Ok(body)
    }

    /// The booking request for `prepared`, as a call.
    pub(crate) fn book_call(&self, prepared: &Prepared) -> Call {
        let mut call = self.call(Interaction::BookAppointment, "Appointment");
        if let Some(ods) = &prepared.jwt_ods {
            let ods = ods.clone();
            call = call.claims(move |c| {
                if let Some(value) = c
                    .get_mut("requesting_organization")
                    .and_then(|o| o.pointer_mut("/identifier/0/value"))
                {
                    *value = Value::from(ods);
                }
            });
        }
        call.json(&prepared.body)
    }

    /// Books as the suite's setup does and requires 201 with an Appointment.
    pub(crate) async fn book(&self, booking: &Booking) -> Check<Booked> {
        let prepared = self.prepare_booking(booking).await?;
        let setup = |f: Failure| f.context("setup: booking");
        let reply = self.send(self.book_call(&prepared)).await.map_err(setup)?;
        reply.status(201).map_err(setup)?;
        let appointment = reply.resource_of("Appointment").map_err(setup)?;
        let id = text(&appointment["id"])
            .ok_or_else(|| setup(Failure::new("the Appointment has no id")))?
            .to_owned();
        let version = text(&appointment["meta"]["versionId"])
            .unwrap_or_default()
            .to_owned();
        Ok(Booked {
            appointment,
            id,
            version,
            patient_id: prepared.patient_id,
        })
    }

    /// Takes the next person of the registration pool whom a Patient search does not find
    /// (ATS 1.8), so that each case registers someone new.
    pub(crate) async fn new_patient(&self) -> Check<PoolPerson> {
        let mut next = self.pool_next.lock().await;
        while let Some(person) = self.fixture.registration_pool.get(*next).cloned() {
            *next += 1;
            let reply = self
                .search_patient_by_nhs(&person.nhs_number)
                .await
                .map_err(|f| f.context("setup: checking a registration candidate"))?;
            if reply.status == 200
                && reply
                    .resource()
                    .is_ok_and(|b| entries(&b, "Patient").is_empty())
            {
                return Ok(person);
            }
        }
        fail!("setup: the registration pool is used up: every person in it is already known to the provider")
    }

    /// Cancels every appointment this run created that is not cancelled yet (ATS 1.1
    /// teardown). Failures are counted, never raised.
    pub(crate) async fn teardown(&self) -> Teardown {
        let ids: Vec<String> = match self.booked.lock() {
            Ok(mut booked) => {
                let mut seen = HashSet::new();
                booked.retain(|id| seen.insert(id.clone()));
                booked.clone()
            }
            Err(_) => Vec::new(),
        };
        let mut teardown = Teardown {
            created: ids.len(),
            ..Teardown::default()
        };
        for id in ids {
            match self.cancel_if_booked(&id).await {
                Ok(true) => teardown.cancelled += 1,
                Ok(false) => {}
                Err(_) => teardown.failed += 1,
            }
        }
        teardown
    }

    async fn cancel_if_booked(&self, id: &str) -> Check<bool> {
        let current = self.resolve(&format!("Appointment/{id}")).await?;
        if current["status"] == "cancelled" {
            return Ok(false);
        }
        let body = cancel_body(&current, "double booked");
        let reply = self
            .send(
                self.call(Interaction::CancelAppointment, format!("Appointment/{id}"))
                    .json(&body),
            )
            .await?;
        reply.status(200)?;
        Ok(true)
    }

    /// Sends `method` to a path with `interaction`'s defaults.
    pub(crate) fn call_with(
        &self,
        interaction: Interaction,
        method: Method,
        path: impl Into<String>,
    ) -> Call {
        self.call(interaction, path).method(method)
    }

    /// Writes the register-patient body for `person` (ATS PatientRegister: official name,
    /// gender, birth date and an NHS number carrying the verification extension).
    pub(crate) fn register_body(&self, person: &PoolPerson) -> Value {
        json!({
            "resourceType": "Parameters",
            "parameter": [{
                "name": "registerPatient",
                "resource": {
                    "resourceType": "Patient",
                    "meta": { "profile": [PATIENT_PROFILE] },
                    "identifier": [{
                        "extension": [{
                            "url": NHS_NUMBER_VERIFICATION,
                            "valueCodeableConcept": { "coding": [{
                                "system": "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1",
                                "code": "01",
                                "display": "Number present and verified"
                            }]}
                        }],
                        "system": NHS_NUMBER_SYSTEM,
                        "value": person.nhs_number
                    }],
                    "name": [{
                        "use": "official",
                        "family": person.family,
                        "given": [person.given]
                    }],
                    "gender": person.gender,
                    "birthDate": person.birth_date
                }
            }]
        })
    }
}

/// The cancel body for `appointment`: status cancelled plus the reason extension (ATS
/// AppointmentCancel).
pub(crate) fn cancel_body(appointment: &Value, reason: &str) -> Value {
    let mut body = appointment.clone();
    body["status"] = json!("cancelled");
    let mut extension = array(&body["extension"]).to_vec();
    extension.push(json!({ "url": CANCELLATION_REASON, "valueString": reason }));
    body["extension"] = Value::Array(extension);
    body
}

fn header_value(value: &str) -> Check<reqwest::header::HeaderValue> {
    reqwest::header::HeaderValue::from_str(value)
        .map_err(|e| Failure::new(format!("bad header value {value:?}: {e}")))
}

/// Requires `reply` to be an Appointment created by a booking.
pub(crate) fn created_appointment(reply: &Reply) -> Check<Value> {
    reply.status(201)?;
    let appointment = reply.resource_of("Appointment")?;
    ensure!(
        text(&appointment["id"]).is_some(),
        "the created Appointment has no id"
    );
    Ok(appointment)
}
