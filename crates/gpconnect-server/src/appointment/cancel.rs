//! Cancel an appointment (SPEC 3.14): `PUT /Appointment/{id}` with the
//! `…:rest:cancel:appointment-1` interaction. Only `status` (to `cancelled`) and the
//! cancellation reason extension may change; the slots are freed in the same transaction.

use axum::response::Response;
use gpconnect_domain::records::AppointmentStatus;
use gpconnect_domain::SpineCode;
use gpconnect_fhir::Appointment;
use gpconnect_store::StoreError;
use http::HeaderMap;

use super::change::{self, May};
use super::{decode_body, load, request, to_fhir, CANCELLATION_REASON_EXTENSION};
use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::state::AppState;

/// Cancels appointment `id` with the PUT `body`.
pub(super) async fn cancel(
    state: &AppState,
    ctx: &RequestContext,
    headers: &HeaderMap,
    id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let record = load(state, ctx, id).await?;
    ctx.audit_patient(record.patient.as_str());
    let sent = decode(ctx, body)?;
    change::check_id(&sent, id)?;
    let expected = change::expected_version(headers, &record)?;
    if record.status == AppointmentStatus::Cancelled {
        return Err(ApiError::invalid_resource(format!(
            "Appointment/{id} is already cancelled"
        )));
    }
    change::check_future(ctx, &record, "cancelled")?;
    if sent.status != AppointmentStatus::Cancelled.code() {
        return Err(ApiError::invalid_resource(format!(
            "Appointment.status must be 'cancelled' to cancel an appointment, not '{}'",
            sent.status
        )));
    }
    let reason = request::extensions(&sent)?
        .cancellation_reason
        .and_then(|e| e.value_string.as_deref())
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(missing_reason)?
        .to_owned();
    let current = to_fhir(&record)?;
    change::check_unchanged(&sent, &current, &record.participants, May::Cancel)?;
    let stored = state
        .store()
        .cancel_appointment(
            &ctx.practice().ods,
            &record.id,
            &reason,
            expected,
            // SPEC 2.13: provenance of data written through the API.
            &ctx.provenance(),
        )
        .await
        .map_err(|e| match e {
            StoreError::VersionConflict { current } => change::version_conflict(current),
            StoreError::Invalid(why) => ApiError::invalid_resource(why),
            StoreError::NotFound => {
                ApiError::no_record_found(format!("There is no Appointment with id '{id}'"))
            }
            other => ApiError::internal(other),
        })?;
    ctx.audit_detail(format!(
        "cancelled Appointment/{id} (version {}), freeing its slots",
        stored.version
    ));
    FhirResponse::ok(to_fhir(&stored)?).respond(ctx)
}

/// SPEC 3.14 / ATS AppointmentCancel 13: an empty or missing reason is 422 `INVALID_PARAMETER`.
fn missing_reason() -> ApiError {
    ApiError::invalid_parameter(format!(
        "A cancellation needs a reason: the extension '{CANCELLATION_REASON_EXTENSION}' with a \
         non-empty valueString"
    ))
}

/// Decodes the body. The strict decoder refuses an empty string anywhere; an empty
/// `valueString` on an appointment extension can only be the cancellation reason (the other
/// appointment extensions carry other value types), so that one is answered as a missing reason
/// rather than as an invalid resource.
fn decode(ctx: &RequestContext, body: &[u8]) -> Result<Appointment, ApiError> {
    decode_body(ctx, body).map_err(|error| {
        if error.code() != SpineCode::InvalidResource {
            return error;
        }
        let Some(format) = ctx.body_format() else {
            return error;
        };
        match gpconnect_fhir::decode_as::<Appointment>(body, format) {
            Err(e)
                if e.path().starts_with("Appointment.extension[")
                    && e.path().ends_with("].valueString")
                    && e.message().contains("empty") =>
            {
                missing_reason()
            }
            _ => error,
        }
    })
}
