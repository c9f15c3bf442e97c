//! Support for the Appointment Management tests: the provider on a real store loaded with the
//! demo practices (the assurance suite's fixtures, ATS 1.8), requests as the suite sends them
//! (ATS 1.3, 2.3), the default booking body (ATS 3.6) and the response checks of ATS 3.5-3.7.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use gpconnect_demo::{load_demo_if_empty, DemoScale, LocalPds};
use gpconnect_domain::{Interaction, UkDateTime};
use gpconnect_fhir::Format;
use gpconnect_server::{AppState, ServerConfig};
use gpconnect_store::Store;
use gpconnect_store_sqlite::SqliteStore;
use http::Request;
use jiff::ToSpan;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::{self, TestResponse};

/// The variable naming the PostgreSQL database the PostgreSQL tests use.
pub const POSTGRES_URL_VAR: &str = "GPCONNECT_TEST_POSTGRES_URL";

/// A schema of its own on the test PostgreSQL database, dropped by [`PgSchema::drop`].
pub struct PgSchema {
    admin: sqlx::PgConnection,
    name: String,
}

impl PgSchema {
    /// A new schema named after `prefix` and a store in it, or `None` (after printing a
    /// `SKIPPED` line naming `what`) when no database is configured.
    pub async fn store(prefix: &str, what: &str) -> Option<(Arc<dyn Store>, PgSchema)> {
        use sqlx::Connection;
        use std::io::Write;
        let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {what}; set {POSTGRES_URL_VAR} to run it"
            );
            return None;
        };
        let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect_with(&options).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA \"{name}\""))
            .execute(&mut admin)
            .await
            .unwrap();
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(10)
            .connect_with(options.clone().options([("search_path", name.as_str())]))
            .await
            .unwrap();
        let store = gpconnect_store_postgres::PostgresStore::from_pool(pool)
            .await
            .unwrap();
        Some((Arc::new(store), PgSchema { admin, name }))
    }

    /// Drops the schema and everything in it.
    pub async fn drop(mut self) {
        use sqlx::Connection;
        sqlx::query(&format!("DROP SCHEMA \"{}\" CASCADE", self.name))
            .execute(&mut self.admin)
            .await
            .unwrap();
        self.admin.close().await.unwrap();
    }
}

pub const SLOT_PROFILE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1";
pub const SCHEDULE_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1";
pub const APPOINTMENT_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1";
pub const DELIVERY_CHANNEL: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2";
pub const DELIVERY_CHANNEL_1: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-1";
pub const PRACTITIONER_ROLE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1";
pub const BOOKING_ORGANISATION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1";
pub const CANCELLATION_REASON: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1";
pub const ODS_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
pub const ORG_TYPE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1";

/// The provider hosting the demo practices on a store of its own.
pub struct Provider {
    pub app: Router,
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
}

impl Provider {
    /// On a new SQLite database.
    pub async fn sqlite() -> Self {
        Self::sqlite_with(ServerConfig::default()).await
    }

    /// On a new SQLite database, with the settings in `config`.
    pub async fn sqlite_with(config: ServerConfig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gpconnect.db");
        let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        let mut app = Self::on_with(Arc::new(store), config).await;
        app._dir = Some(dir);
        app
    }

    /// On `store`, which must be empty: the demo practices are loaded into it.
    pub async fn on(store: Arc<dyn Store>) -> Self {
        Self::on_with(store, ServerConfig::default()).await
    }

    /// On `store`, which must be empty, with the settings in `config`.
    pub async fn on_with(store: Arc<dyn Store>, config: ServerConfig) -> Self {
        support::init_logs();
        load_demo_if_empty(store.as_ref(), today(), DemoScale::DEFAULT)
            .await
            .unwrap();
        let state = AppState::new(store, Arc::new(LocalPds::new()), config);
        Self {
            app: gpconnect_server::app(state.clone()),
            state,
            _dir: None,
        }
    }

    /// Writes what its audit log has queued and stops it, so that nothing of this provider
    /// writes to the store any more (before a test drops the store's schema).
    pub async fn stop(&self) {
        self.state.audit().shutdown().await;
    }

    pub async fn send(&self, call: Call) -> TestResponse {
        let response = self.app.clone().oneshot(call.build()).await.unwrap();
        TestResponse::read(response).await
    }

    /// A free-slot search for booking (ATS 2.3: `days` from tomorrow, filtered for A20047 and,
    /// when `org_type` is set, urgent-care), answered in JSON.
    pub async fn free_slots(&self, from_day: i64, days: i64, org_type: bool) -> Value {
        let mut query = slot_query(from_day, from_day + days);
        query.push_str(&format!("&searchFilter={ODS_SYSTEM}%7CA20047"));
        if org_type {
            query.push_str(&format!("&searchFilter={ORG_TYPE_SYSTEM}%7Curgent-care"));
        }
        let response = self.send(Call::search_slots(&query)).await;
        assert_eq!(response.status, 200, "{}", text(&response));
        response.json()
    }

    /// Books the first slot of a search from tomorrow for `patient` with the default body.
    /// Returns the 201 response's Appointment.
    pub async fn book_first_free(&self, patient: &str) -> Value {
        let bundle = self.free_slots(1, 14, true).await;
        let body = booking_body(&bundle, 0, patient);
        let response = self.send(Call::book().json(&body)).await;
        assert_eq!(response.status, 201, "{}", text(&response));
        response.json()
    }
}

/// A response body as text, for assertion messages.
pub fn text(response: &TestResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// Today's UK date.
pub fn today() -> jiff::civil::Date {
    UkDateTime::now().uk_date()
}

/// UK midnight `days` after today, as a query value (`+` percent-encoded, ATS 1.3).
pub fn midnight(days: i64) -> String {
    let day = today().checked_add(days.days()).unwrap();
    UkDateTime::start_of_uk_day(day)
        .to_string()
        .replace('+', "%2B")
}

/// `yyyy-mm-dd`, `days` after today.
pub fn date(days: i64) -> String {
    today().checked_add(days.days()).unwrap().to_string()
}

/// The assurance suite's slot search parameters from midnight `from` days ahead to midnight
/// `to` days ahead, without search filters.
pub fn slot_query(from: i64, to: i64) -> String {
    format!(
        "start=ge{}&end=le{}&status=free&_include=Slot:schedule",
        midnight(from),
        midnight(to)
    )
}

/// A request as the assurance suite sends it (ATS 1.3).
pub struct Call {
    method: &'static str,
    path: String,
    interaction: Interaction,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Call {
    pub fn new(method: &'static str, path: &str, interaction: Interaction) -> Self {
        Self {
            method,
            path: path.to_owned(),
            interaction,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn search_slots(query: &str) -> Self {
        Self::new("GET", &format!("/Slot?{query}"), Interaction::SearchSlots)
    }

    pub fn book() -> Self {
        Self::new("POST", "/Appointment", Interaction::BookAppointment)
    }

    pub fn read(id: &str) -> Self {
        Self::new(
            "GET",
            &format!("/Appointment/{id}"),
            Interaction::ReadAppointment,
        )
    }

    pub fn amend(id: &str) -> Self {
        Self::new(
            "PUT",
            &format!("/Appointment/{id}"),
            Interaction::AmendAppointment,
        )
    }

    pub fn cancel(id: &str) -> Self {
        Self::new(
            "PUT",
            &format!("/Appointment/{id}"),
            Interaction::CancelAppointment,
        )
    }

    pub fn retrieve(patient: &str, query: &str) -> Self {
        Self::new(
            "GET",
            &format!("/Patient/{patient}/Appointment?{query}"),
            Interaction::SearchPatientAppointments,
        )
    }

    /// Sets a header (replacing a default one).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Asks for the answer in `format` (`Accept`).
    pub fn accept(self, format: Format) -> Self {
        self.header("Accept", format.mime())
    }

    /// A JSON body.
    pub fn json(self, body: &Value) -> Self {
        self.body(body, Format::Json)
    }

    /// A body in `format`: JSON as is, XML converted by the FHIR codec.
    pub fn body(mut self, body: &Value, format: Format) -> Self {
        self.body = match format {
            Format::Json => body.to_string().into_bytes(),
            Format::Xml => to_xml(body),
        };
        self.header("Content-Type", format.mime())
    }

    /// A body sent as it is.
    pub fn raw_body(mut self, body: &str, format: Format) -> Self {
        self.body = body.as_bytes().to_vec();
        self.header("Content-Type", format.mime())
    }

    pub fn build(self) -> Request<Body> {
        let mut request = support::request(self.method, &self.path, self.interaction)
            .body(Body::from(self.body))
            .unwrap();
        for (name, value) in &self.headers {
            support::set_header(&mut request, name, Some(value));
        }
        request
    }
}

/// A FHIR JSON resource as FHIR XML.
pub fn to_xml(body: &Value) -> Vec<u8> {
    let resource = gpconnect_fhir::decode(body.to_string().as_bytes(), Format::Json).unwrap();
    gpconnect_fhir::encode(&resource, Format::Xml).unwrap()
}

/// Decodes a response body in `format` strictly (as the assurance suite's parser does, ATS 1.6)
/// and gives it back as FHIR JSON, after checking the Content-Type.
pub fn resource(response: &TestResponse, format: Format) -> Value {
    assert_eq!(
        response.header("content-type"),
        Some(format!("{};charset=utf-8", format.mime()).as_str()),
        "{}",
        text(response)
    );
    let resource = gpconnect_fhir::decode(&response.body, format)
        .unwrap_or_else(|e| panic!("not valid FHIR ({e}): {}", text(response)));
    serde_json::to_value(resource).unwrap()
}

/// The resources of a searchset bundle with this `resourceType`.
pub fn entries<'b>(bundle: &'b Value, resource_type: &str) -> Vec<&'b Value> {
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "searchset");
    bundle["entry"]
        .as_array()
        .map(|e| e.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == resource_type)
        .collect()
}

/// The extensions of `resource` with `url`.
pub fn extensions<'r>(resource: &'r Value, url: &str) -> Vec<&'r Value> {
    resource["extension"]
        .as_array()
        .map(|e| e.iter().filter(|x| x["url"] == url).collect())
        .unwrap_or_default()
}

/// The default booking body of the assurance suite (ATS 3.6) for slot number `index` of a
/// free-slot search bundle: its start and end, the Location actor of its schedule, the patient,
/// "Default Description", the contained booking organisation A20047 with type urgent-care.
pub fn booking_body(bundle: &Value, index: usize, patient: &str) -> Value {
    let slot = entries(bundle, "Slot")[index].clone();
    booking_body_for(bundle, &[slot], patient)
}

/// The default booking body for several slots (adjacent ones, for a multi-slot booking).
pub fn booking_body_for(bundle: &Value, slots: &[Value], patient: &str) -> Value {
    let first = &slots[0];
    let last = &slots[slots.len() - 1];
    let schedule_ref = first["schedule"]["reference"].as_str().unwrap();
    let schedule = entries(bundle, "Schedule")
        .into_iter()
        .find(|s| format!("Schedule/{}", s["id"].as_str().unwrap()) == schedule_ref)
        .unwrap();
    let location = schedule["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reference"].as_str().unwrap())
        .find(|r| r.contains("Location"))
        .unwrap();
    json!({
        "resourceType": "Appointment",
        "meta": { "profile": [APPOINTMENT_PROFILE] },
        "contained": [{
            "resourceType": "Organization",
            "id": "1",
            "meta": { "profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"] },
            "identifier": [{ "system": ODS_SYSTEM, "value": "A20047" }],
            "type": [{ "coding": [{ "system": ORG_TYPE_SYSTEM, "code": "urgent-care", "display": "Urgent Care" }] }],
            "name": "Test Suite Validator",
            "telecom": [{ "system": "phone", "value": "01823938938", "use": "temp" }]
        }],
        "extension": [{
            "url": BOOKING_ORGANISATION,
            "valueReference": { "reference": "#1" }
        }],
        "status": "booked",
        "description": "Default Description",
        "start": first["start"],
        "end": last["end"],
        "slot": slots.iter().map(|s| json!({ "reference": format!("Slot/{}", s["id"].as_str().unwrap()) })).collect::<Vec<_>>(),
        "created": jiff::Timestamp::now().to_string(),
        "participant": [
            {
                "type": [{ "coding": [{ "system": "http://hl7.org/fhir/encounter-participant-type", "code": "PART", "display": "Participation" }] }],
                "actor": { "reference": format!("Patient/{patient}") },
                "status": "accepted"
            },
            {
                "type": [{ "coding": [{ "system": "http://hl7.org/fhir/encounter-participant-type", "code": "PART", "display": "Participation" }] }],
                "actor": { "reference": location },
                "status": "accepted"
            }
        ]
    })
}

/// Removes the `type` of the contained booking organisation (ATS AppointmentBook 4).
pub fn without_org_type(mut body: Value) -> Value {
    body["contained"][0].as_object_mut().unwrap().remove("type");
    body
}

/// The checks the assurance suite makes on every Appointment it receives (ATS 3.6), and the
/// provider-populated content of SPEC 3.11.
#[track_caller]
pub fn assert_appointment(a: &Value) {
    assert_eq!(a["resourceType"], "Appointment", "{a}");
    assert_eq!(a["meta"]["profile"], json!([APPOINTMENT_PROFILE]), "{a}");
    assert!(a["meta"]["versionId"].is_string(), "{a}");
    assert!(a["id"].is_string());
    assert!(a["status"].is_string());
    let start = UkDateTime::parse(a["start"].as_str().unwrap()).unwrap();
    UkDateTime::parse(a["end"].as_str().unwrap()).unwrap();
    assert!(start.uk_date() >= today(), "{a}");
    let slots = a["slot"].as_array().unwrap();
    assert!(!slots.is_empty());
    for s in slots {
        assert!(s["reference"].as_str().unwrap().starts_with("Slot/"), "{a}");
    }
    let participants = a["participant"].as_array().unwrap();
    let refs: Vec<&str> = participants
        .iter()
        .map(|p| p["actor"]["reference"].as_str().unwrap())
        .collect();
    assert!(refs.iter().any(|r| r.starts_with("Patient/")), "{a}");
    assert!(refs.iter().any(|r| r.starts_with("Location/")), "{a}");
    for (p, r) in participants.iter().zip(&refs) {
        assert!(
            ["Patient/", "Practitioner/", "Location/"]
                .iter()
                .any(|t| r.starts_with(t)),
            "{r}"
        );
        assert!(p["status"].is_string());
        for t in p["type"].as_array().into_iter().flatten() {
            assert!(t["coding"].as_array().map_or(0, Vec::len) <= 1);
        }
    }
    assert!(a["description"].is_string(), "{a}");
    assert!(a["created"].is_string(), "{a}");
    assert!(a.get("reason").is_none(), "{a}");
    assert!(a.get("specialty").is_none(), "{a}");
    for c in a["contained"].as_array().into_iter().flatten() {
        assert_eq!(c["resourceType"], "Organization");
        assert!(c["id"].is_string() && c["name"].is_string(), "{c}");
    }
    // SPEC 3.11: provider-populated even when the booking did not send them (ATS Read O2).
    assert_eq!(extensions(a, DELIVERY_CHANNEL).len(), 1, "{a}");
    assert_eq!(extensions(a, PRACTITIONER_ROLE).len(), 1, "{a}");
    assert!(a["serviceCategory"]["text"].is_string(), "{a}");
    assert!(a["serviceType"][0]["text"].is_string(), "{a}");
}

/// The id, versionId and ETag of a 200/201 Appointment answer.
#[track_caller]
pub fn etag_matches(response: &TestResponse, appointment: &Value) {
    assert_eq!(
        response.header("etag"),
        Some(
            format!(
                "W/\"{}\"",
                appointment["meta"]["versionId"].as_str().unwrap()
            )
            .as_str()
        )
    );
}

/// An appointment that started yesterday, booked at the practice (not through GP Connect), for
/// `patient`. Returns its id.
pub async fn past_appointment(app: &Provider, patient: &str) -> String {
    use gpconnect_domain::records::{
        AppointmentStatus, DeliveryChannel, NewAppointment, Provenance, SlotRecord, SlotStatus,
    };
    use gpconnect_domain::{FhirId, OdsCode};
    let practice = OdsCode::parse("A20047").unwrap();
    let noon = UkDateTime::start_of_uk_day(today().yesterday().unwrap()).unix_seconds() + 12 * 3600;
    let start = UkDateTime::from_unix_seconds(noon).unwrap();
    let end = UkDateTime::from_unix_seconds(noon + 600).unwrap();
    let store = app.state.store();
    let slot = store
        .insert_slot(&SlotRecord {
            practice: practice.clone(),
            id: FhirId::parse(&format!("past-{patient}")).unwrap(),
            version: 1,
            schedule: FhirId::parse("1").unwrap(),
            start,
            end,
            status: SlotStatus::Free,
            delivery_channel: DeliveryChannel::InPerson,
            service_type: Some("Routine appointment".into()),
            gpc_bookable: true,
            restrict_org_types: vec![],
            restrict_ods_codes: vec![],
            booking_window: None,
        })
        .await
        .unwrap();
    let record = store
        .book(&NewAppointment {
            practice,
            status: AppointmentStatus::Booked,
            start,
            end,
            created: start,
            slots: vec![slot.id],
            patient: FhirId::parse(patient).unwrap(),
            location: FhirId::parse("1").unwrap(),
            practitioner: Some(FhirId::parse("1").unwrap()),
            description: "Booked at the practice".into(),
            comment: None,
            priority: None,
            minutes_duration: None,
            identifiers: vec![],
            booking_organization: Value::Null,
            participants: vec![],
            delivery_channel: Some(DeliveryChannel::InPerson),
            practitioner_role: None,
            service_type: Some("Routine appointment".into()),
            service_category: Some("GP surgery".into()),
            booked_via_gp_connect: false,
            provenance: Provenance {
                user_id: "reception".into(),
                user_name: "Reception".into(),
                sds_user_id: None,
                role_profile_id: None,
                organization_ods: "A20047".into(),
                organization_name: "The practice".into(),
                trace_id: "-".into(),
                interaction: "practice system".into(),
                at: start,
            },
            booked_for: None,
        })
        .await
        .unwrap();
    record.id.as_str().to_owned()
}

/// The cancel body for a booked appointment: status cancelled and the reason extension.
pub fn cancel_body(booked: &Value, reason: &str) -> Value {
    let mut body = booked.clone();
    body["status"] = json!("cancelled");
    body["extension"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "url": CANCELLATION_REASON, "valueString": reason }));
    body
}

/// A change made to a request body, for tables of rejected variations.
pub type Change = Box<dyn Fn(&mut Value)>;
