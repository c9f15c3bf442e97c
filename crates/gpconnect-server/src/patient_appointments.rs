//! Retrieve a patient's appointments (SPEC 3.15):
//! `GET /Patient/{id}/Appointment?start=ge{yyyy-mm-dd}&start=le{yyyy-mm-dd}`.
//!
//! Every appointment of the patient whose start falls on a UK date in the range is returned,
//! whatever its status (cancelled ones included) and whoever booked it. The lower bound may not
//! be in the past, so only appointments from today onwards are ever returned, today's included
//! even once their time has passed.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gpconnect_domain::{FhirId, SpineCode};
use gpconnect_fhir::Resource;
use jiff::civil::Date;

use crate::appointment;
use crate::context::RequestContext;
use crate::error::ApiError;
use crate::query::QueryParams;
use crate::response::FhirResponse;
use crate::search::searchset;
use crate::slot::parse_date;
use crate::state::AppState;

/// `GET /Patient/{id}/Appointment`.
pub fn router() -> Router<AppState> {
    Router::new().route("/Patient/{id}/Appointment", get(retrieve))
}

/// The checked date range of a retrieve (both ends inclusive, UK dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// `start=ge…`.
    pub from: Date,
    /// `start=le…`.
    pub to: Date,
}

impl DateRange {
    /// SPEC 3.15 (ATS AppointmentRetrieve 8-12): exactly two `start` parameters, one `ge` and one
    /// `le`, each a full date without a time; the lower bound not before `today`; the upper
    /// bound not before the lower. Anything else is 422 `INVALID_PARAMETER`. No maximum range.
    pub fn parse(query: &QueryParams, today: Date) -> Result<Self, ApiError> {
        let values: Vec<&str> = query.all("start").collect();
        let [first, second] = values.as_slice() else {
            return Err(ApiError::invalid_parameter(format!(
                "Exactly two start parameters are required, start=ge{{yyyy-mm-dd}} and \
                 start=le{{yyyy-mm-dd}}; {} were sent",
                values.len()
            )));
        };
        let (mut from, mut to) = (None, None);
        for value in [first, second] {
            // `get` rather than slicing: a multi-byte character must not make this panic.
            let (prefix, date) = (
                value.get(..2).unwrap_or(value),
                value.get(2..).unwrap_or(""),
            );
            let slot = match prefix {
                "ge" => &mut from,
                "le" => &mut to,
                _ => {
                    return Err(ApiError::invalid_parameter(format!(
                        "start={value}: each start parameter needs the prefix ge or le"
                    )))
                }
            };
            let date = parse_date(date).ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "start={value}: the value must be a full date (yyyy-mm-dd) without a time"
                ))
            })?;
            if slot.replace(date).is_some() {
                return Err(ApiError::invalid_parameter(
                    "One start parameter must have the prefix ge and the other the prefix le",
                ));
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            return Err(ApiError::invalid_parameter(
                "One start parameter must have the prefix ge and the other the prefix le",
            ));
        };
        // SPEC 1, 3.15: Appointment Management covers today and the future only.
        if from < today {
            return Err(ApiError::invalid_parameter(format!(
                "start=ge{from} is in the past: appointments can be retrieved from today ({today}) onwards"
            )));
        }
        if to < from {
            return Err(ApiError::invalid_parameter(format!(
                "start=le{to} is before start=ge{from}"
            )));
        }
        Ok(Self { from, to })
    }
}

async fn retrieve(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let range = DateRange::parse(ctx.query(), ctx.received().uk_date())?;
    let practice = &ctx.practice().ods;
    let not_found = || {
        ApiError::new(
            SpineCode::PatientNotFound,
            format!("There is no Patient with id '{id}' at this practice"),
        )
    };
    let patient_id = FhirId::parse(&id).map_err(|_| not_found())?;
    ctx.audit_patient(patient_id.as_str());
    // SPEC 1: a patient who carries the sensitive flag, or who is not active at the practice,
    // is treated as not found; dissent to share is not applied to Appointment Management.
    state
        .store()
        .get_patient(practice, &patient_id)
        .await
        .map_err(ApiError::internal)?
        .filter(|p| p.is_active_for_sharing())
        .ok_or_else(not_found)?;
    let records = state
        .store()
        .patient_appointments(practice, &patient_id, range.from, range.to)
        .await
        .map_err(ApiError::internal)?;
    let resources = records
        .iter()
        .map(|r| appointment::to_fhir(r).map(Resource::from))
        .collect::<Result<Vec<_>, _>>()?;
    ctx.audit_detail(format!("{} appointments", resources.len()));
    FhirResponse::ok(searchset(resources)).respond(&ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 3, 2);

    fn parse(q: &str) -> Result<DateRange, ApiError> {
        DateRange::parse(&QueryParams::parse(Some(q)).unwrap(), TODAY)
    }

    #[test]
    fn one_ge_and_one_le_date_in_either_order() {
        let expected = DateRange {
            from: TODAY,
            to: date(2026, 3, 16),
        };
        assert_eq!(
            parse("start=ge2026-03-02&start=le2026-03-16").unwrap(),
            expected
        );
        assert_eq!(
            parse("start=le2026-03-16&_sort=date&start=ge2026-03-02").unwrap(),
            expected
        );
        assert!(parse("start=ge2026-03-02&start=le2026-03-02").is_ok());
        assert!(parse("start=ge2030-03-03&start=le2031-03-30").is_ok());
    }

    #[test]
    fn everything_else_is_an_invalid_parameter() {
        for q in [
            "",
            "start=ge2030-03-03",
            "start=le2030-03-03",
            "start=ge2030-03-03&start=le2030-03-30&start=le2030-03-31",
            "start=ge2030-03-03&start=lt2030-03-30",
            "start=ge2030-03-03&start=gt2030-03-30",
            "start=ge2030-03-03&start=eq2030-03-30",
            "start=ge2030-03-03&start=ge2030-03-30",
            "start=lt2030-03-03&start=le2030-03-30",
            "start=eqs2030-03-03&start=le2030-03-30",
            "start=le2030-03-03&start=le2030-03-30",
            "start=random123&start=random123",
            "start=ge2030&start=le2030-03-30",
            "start=ge2030-03&start=le2030-03-30",
            "start=ge2030-03-03T10:00:00&start=le2030-03-30",
            "start=ge2030-03-03&start=le2030-03-30T10:00:00Z",
            "start=ge2030-03-03&start=le2030-03-30T10:00:00%2B00:00",
            "start=2010-02-03&start=2010-03-03",
            "start=ge2010-02-03&start=le2030-03-03",
            "start=ge2026-03-01&start=le2026-03-03",
            "start=ge2030-03-03&start=le2030-01-01",
            "start=g&start=l",
            "start=a%C3%A92030-03-03&start=le2030-03-30",
        ] {
            assert_eq!(
                parse(q).unwrap_err().code(),
                SpineCode::InvalidParameter,
                "{q}"
            );
        }
    }
}
