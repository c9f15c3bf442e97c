//! Amend an appointment (SPEC 3.13): `PUT /Appointment/{id}` with the
//! `…:rest:update:appointment-1` interaction. Only `description` and `comment` may change, on a
//! future appointment that is not cancelled.

use axum::response::Response;
use gpconnect_domain::records::{AppointmentRecord, AppointmentStatus};
use gpconnect_store::StoreError;
use http::HeaderMap;

use super::change::{self, May};
use super::{decode_body, load, request, to_fhir};
use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::state::AppState;

/// Amends appointment `id` with the PUT `body`.
pub(super) async fn amend(
    state: &AppState,
    ctx: &RequestContext,
    headers: &HeaderMap,
    id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let record = load(state, ctx, id).await?;
    ctx.audit_patient(record.patient.as_str());
    let sent = decode_body(ctx, body)?;
    change::check_id(&sent, id)?;
    let expected = change::expected_version(headers, &record)?;
    // SPEC 3.13, 6.3: a cancelled appointment can no longer be amended.
    if record.status == AppointmentStatus::Cancelled {
        return Err(ApiError::invalid_resource(format!(
            "Appointment/{id} is cancelled and can no longer be amended"
        )));
    }
    change::check_future(ctx, &record, "amended")?;
    let current = to_fhir(&record)?;
    change::check_unchanged(&sent, &current, &record.participants, May::ChangeTexts)?;
    let (description, comment) = request::texts(&sent)?;
    let amended = AppointmentRecord {
        description,
        comment,
        // SPEC 2.13: provenance of data written through the API.
        last_changed_by: Some(ctx.provenance()),
        ..record
    };
    let stored = state
        .store()
        .update_appointment(&amended, expected)
        .await
        .map_err(|e| match e {
            StoreError::VersionConflict { current } => change::version_conflict(current),
            StoreError::NotFound => {
                ApiError::no_record_found(format!("There is no Appointment with id '{id}'"))
            }
            other => ApiError::internal(other),
        })?;
    ctx.audit_detail(format!(
        "amended Appointment/{id} to version {}",
        stored.version
    ));
    FhirResponse::ok(to_fhir(&stored)?).respond(ctx)
}
