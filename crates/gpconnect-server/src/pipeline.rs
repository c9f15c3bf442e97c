//! The request pipeline (SPEC 8 middleware order): every request goes through the edge layer
//! (timeout, OperationOutcome rendering, `Cache-Control: no-store`, header hygiene, audit) and
//! the dispatcher (practice by ODS code, routing table, SSP headers, JWT and scope, practice
//! enablement, content negotiation) before a handler sees it. gzip and the body size limit
//! are tower layers around it.

use std::net::SocketAddr;

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::FutureExt as _;
use gpconnect_domain::records::{AuditEvent, Practice};
use gpconnect_domain::{Interaction, OdsCode, SpineCode, UkDateTime};
use http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST};
use http::{HeaderValue, Method, StatusCode, Uri};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use crate::context::{Exchange, Prefer, RequestContext};
use crate::error::ApiError;
use crate::jwt::Jwt;
use crate::negotiate;
use crate::outcome;
use crate::query::QueryParams;
use crate::routes;
use crate::ssp::{self, SspHeaders};
use crate::state::AppState;
use crate::Format;

/// How the request reached the server; inserted by the listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The peer address.
    pub remote: SocketAddr,
    /// Whether the connection is (mutual) TLS.
    pub tls: bool,
}

/// The whole provider as one service: `handlers` (paths relative to the practice base, e.g.
/// `/Patient/{id}`) behind the pipeline.
pub fn app(state: AppState, handlers: Router<AppState>) -> Router {
    let handlers = handlers
        .fallback(not_implemented)
        .method_not_allowed_fallback(not_implemented)
        .with_state(state.clone());
    let dispatcher = Dispatcher {
        state: state.clone(),
        handlers,
    };
    Router::new()
        .fallback(dispatch)
        .with_state(dispatcher)
        .layer(RequestBodyLimitLayer::new(state.config().body_limit))
        .layer(middleware::from_fn_with_state(state, edge))
        // SPEC 2.3: gzip is supported, and only used when the request asked for it (ATS 1.6).
        .layer(CompressionLayer::new())
}

/// A route in the table with no handler mounted yet.
async fn not_implemented() -> ApiError {
    ApiError::new(
        SpineCode::NotImplemented,
        "This interaction is not implemented by this provider",
    )
}

/// The edge: runs the request under the timeout, renders every error as an OperationOutcome in
/// the negotiated format, sets `Cache-Control: no-store` and writes the audit event.
async fn edge(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let exchange = Exchange::default();
    {
        // Audit what was sent even if the request is rejected before it is understood.
        let headers = request.headers();
        let mut info = exchange.info();
        info.trace_id = ssp::raw_header(headers, ssp::TRACE_ID);
        info.interaction = ssp::raw_header(headers, ssp::INTERACTION_ID);
        info.from_asid = ssp::raw_header(headers, ssp::FROM);
        info.to_asid = ssp::raw_header(headers, ssp::TO);
    }
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    request.extensions_mut().insert(exchange.clone());

    // A panic in a handler is caught and answered (500) and audited like any other failure;
    // a request over the time limit is dropped (which stops it) and answered likewise. The
    // request runs in this task: handing it to a task of its own would cost a wake-up of
    // another worker per request.
    let timeout = state.config().request_timeout;
    let handling = std::panic::AssertUnwindSafe(next.run(request)).catch_unwind();
    let response = match tokio::time::timeout(timeout, handling).await {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            ApiError::internal(HandlerFailed(panic_message(panic.as_ref()))).into_response()
        }
        Err(_) => ApiError::internal(TimedOut(timeout)).into_response(),
    };
    let (response, error) = finish(response, &exchange).await;

    let info = exchange.info().clone();
    state
        .audit()
        .record(AuditEvent {
            seq: 0,
            at: UkDateTime::now(),
            practice: info.practice,
            trace_id: info.trace_id,
            interaction: info.interaction,
            method,
            path,
            from_asid: info.from_asid,
            to_asid: info.to_asid,
            jwt_user: info.jwt_user,
            jwt_sds_user_id: info.jwt_sds_user_id,
            jwt_organization_ods: info.jwt_organization_ods,
            patient: info.patient,
            status: response.status().as_u16(),
            spine_code: error.as_ref().map(|e| e.code().code().to_owned()),
            detail: error.map(|e| e.diagnostics().to_owned()).or(info.detail),
        })
        .await;
    response
}

/// What a panic said, if it said it with a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The handler panicked.
#[derive(Debug, thiserror::Error)]
#[error("request handling failed: {0}")]
struct HandlerFailed(String);

/// The request took longer than the configured timeout.
#[derive(Debug, thiserror::Error)]
#[error("the request was not completed within {0:?}")]
struct TimedOut(std::time::Duration);

/// Turns any error answer into a `GPConnect-OperationOutcome-1` and applies the header rules
/// every answer follows. Returns the error answered, if any.
async fn finish(response: Response, exchange: &Exchange) -> (Response, Option<ApiError>) {
    let (mut parts, body) = response.into_parts();
    let error = match parts.extensions.remove::<ApiError>() {
        Some(error) => error,
        None if parts.status.is_client_error() || parts.status.is_server_error() => {
            // An answer from below the pipeline (a framework rejection or a body-limit refusal):
            // keep its status but answer with an OperationOutcome.
            let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
            from_status(parts.status, &String::from_utf8_lossy(&text))
        }
        None => return (hygiene(Response::from_parts(parts, body)), None),
    };
    let (format, trace_id) = {
        let info = exchange.info();
        (info.format.unwrap_or(Format::Json), info.trace_id.clone())
    };
    let trace_id = trace_id.as_deref().unwrap_or("-");
    if error.status().is_server_error() {
        // STYLE: 5xx causes are logged with the trace id and never shown to the caller.
        tracing::error!(
            trace_id,
            code = error.code().code(),
            cause = %error.cause().map(ToString::to_string).unwrap_or_default(),
            "request failed"
        );
    } else {
        tracing::info!(
            trace_id,
            status = error.status().as_u16(),
            code = error.code().code(),
            diagnostics = error.diagnostics(),
            "request rejected"
        );
    }
    parts.status = error.status();
    parts.headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(negotiate::content_type(format)),
    );
    parts.headers.remove(http::header::CONTENT_LENGTH);
    let body = Body::from(outcome::render(error.code(), error.diagnostics(), format));
    (hygiene(Response::from_parts(parts, body)), Some(error))
}

/// The header rules of every answer: `Cache-Control: no-store` (SPEC 2.3), no multi-valued
/// `Allow` (ATS 1.6: the assurance client fails on it) and no FHIR Content-Type on an empty body
/// (ATS 1.6: the client parses any FHIR-typed body, e.g. `Prefer: return=minimal`).
fn hygiene(mut response: Response) -> Response {
    let empty = response.body().size_hint().exact() == Some(0);
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.remove(ALLOW);
    if empty {
        headers.remove(CONTENT_TYPE);
    }
    response
}

/// The OperationOutcome for an error answer produced below the pipeline.
fn from_status(status: StatusCode, text: &str) -> ApiError {
    let text = text.trim();
    match status {
        StatusCode::NOT_FOUND => ApiError::no_record_found("There is no GP Connect endpoint here"),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::payload_too_large("The request body is larger than this provider accepts")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::unsupported_media_type(if text.is_empty() {
                "The request's media type is not supported"
            } else {
                text
            })
        }
        s if s.is_server_error() => ApiError::internal(BelowPipeline(s)),
        s => ApiError::bad_request(if text.is_empty() {
            s.canonical_reason().unwrap_or("Bad request")
        } else {
            text
        })
        .with_status(s),
    }
}

/// A 5xx produced by the framework rather than by a handler.
#[derive(Debug, thiserror::Error)]
#[error("error status {0} produced below the pipeline")]
struct BelowPipeline(StatusCode);

/// The state of the dispatcher: the shared state and the handler router.
#[derive(Debug, Clone)]
struct Dispatcher {
    state: AppState,
    handlers: Router,
}

async fn dispatch(State(dispatcher): State<Dispatcher>, request: Request) -> Response {
    match prepare(&dispatcher.state, request).await {
        Ok(request) => match dispatcher.handlers.oneshot(request).await {
            Ok(response) => response,
            Err(infallible) => match infallible {},
        },
        Err(error) => error.into_response(),
    }
}

/// Every check before a handler (SPEC 8 order). On success the request carries a
/// [`RequestContext`] and its URI is relative to the practice base.
async fn prepare(state: &AppState, request: Request) -> Result<Request, ApiError> {
    let (mut parts, body) = request.into_parts();
    let exchange = parts
        .extensions
        .get::<Exchange>()
        .cloned()
        .unwrap_or_default();
    let received = UkDateTime::now();
    let arrived = std::time::Instant::now();

    let query =
        QueryParams::parse(parts.uri.query()).map_err(|e| ApiError::bad_request(e.to_string()))?;
    // Decided first so that every rejection is written in the format asked for.
    let format = negotiate::response_format(&query, &parts.headers);
    if let Ok(format) = format {
        exchange.info().format = Some(format);
    }

    // SPEC 2.2: the practice is found by the ODS code in the URL, never by ASID. Routing sees
    // the path with its percent-encoding normalised (`%24gpc.registerpatient` is the operation).
    let path = routes::normalize_path(parts.uri.path()).into_owned();
    let (ods_raw, relative) = routes::split_base(&path).ok_or_else(|| {
        ApiError::no_record_found(format!(
            "'{path}' is not a GP Connect service root path (/{{ODS code}}/STU3/1/gpconnect/...)"
        ))
    })?;
    let practice = find_practice(state, ods_raw).await?;
    exchange.info().practice = Some(practice.ods.clone());

    let allowed = routes::classify(&parts.method, relative)?;
    let ssp = SspHeaders::check(&parts.headers, &practice.asid, allowed)?;
    let interaction = ssp.interaction;
    let jwt = Jwt::from_headers(
        &parts.headers,
        interaction,
        received.unix_seconds(),
        state.verified_tokens(),
    )?;
    {
        let mut info = exchange.info();
        info.jwt_user = Some(jwt.user.id.clone());
        info.jwt_sds_user_id = jwt.user.sds_user_id.clone();
        info.jwt_organization_ods = jwt.organisation.ods_code.clone();
    }
    check_enabled(&practice, interaction)?;
    let format = format?;
    let body_format = if parts.method == Method::POST || parts.method == Method::PUT {
        Some(negotiate::body_format(&parts.headers)?)
    } else {
        None
    };

    let base_url = base_url(&parts, &practice.ods);
    let relative_uri = match parts.uri.query() {
        Some(q) => format!("{relative}?{q}"),
        None => relative.to_owned(),
    };
    parts.uri = relative_uri
        .parse::<Uri>()
        .map_err(|e| ApiError::bad_request(format!("The request URL is not valid: {e}")))?;
    let context = RequestContext {
        practice,
        ssp,
        jwt,
        format,
        body_format,
        query,
        base_url,
        prefer: Prefer::from_headers(&parts.headers),
        received,
        arrived,
        exchange,
    };
    parts.extensions.insert(context);
    Ok(Request::from_parts(parts, body))
}

async fn find_practice(state: &AppState, ods_raw: &str) -> Result<Practice, ApiError> {
    let unknown = || {
        ApiError::no_record_found(format!(
            "No practice with ODS code '{ods_raw}' is hosted by this provider"
        ))
    };
    let ods = OdsCode::parse(ods_raw).map_err(|_| unknown())?;
    state
        .store()
        .get_practice(&ods)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(unknown)
}

/// SPEC 2.13, 9.9: GP Connect and Appointment Management are switched on per practice; a
/// disabled capability is 403 ACCESS_DENIED. The CapabilityStatement stays readable.
fn check_enabled(practice: &Practice, interaction: Interaction) -> Result<(), ApiError> {
    if interaction == Interaction::ReadMetadata {
        return Ok(());
    }
    if !practice.gp_connect_enabled {
        return Err(ApiError::access_denied(format!(
            "GP Connect is disabled at practice {}",
            practice.ods
        )));
    }
    if is_appointment_management(interaction) && !practice.appointments_enabled {
        return Err(ApiError::access_denied(format!(
            "The Appointment Management capability is disabled at practice {}",
            practice.ods
        )));
    }
    Ok(())
}

/// The Appointment Management interactions (the rest are Foundations).
pub fn is_appointment_management(interaction: Interaction) -> bool {
    matches!(
        interaction,
        Interaction::SearchSlots
            | Interaction::BookAppointment
            | Interaction::ReadAppointment
            | Interaction::AmendAppointment
            | Interaction::CancelAppointment
            | Interaction::SearchPatientAppointments
    )
}

/// The service root as the consumer addressed it: scheme from the listener and host from
/// `Host`, unless a proxy in front said otherwise with `Forwarded` (RFC 7239, SPEC 2.3) or
/// `X-Forwarded-Proto` / `X-Forwarded-Host`.
fn base_url(parts: &http::request::Parts, ods: &OdsCode) -> String {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    // The first (client-side) element of `Forwarded`.
    let forwarded = |key: &str| {
        header("forwarded")?
            .split(',')
            .next()?
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim().trim_matches('"').to_owned())
    };
    let listener_scheme = match parts.extensions.get::<ConnectionInfo>() {
        Some(ConnectionInfo { tls: true, .. }) => "https",
        _ => "http",
    };
    let scheme = forwarded("proto")
        .or_else(|| header("x-forwarded-proto").map(str::to_owned))
        .filter(|p| p == "http" || p == "https")
        .unwrap_or_else(|| listener_scheme.to_owned());
    let host = forwarded("host")
        .or_else(|| header("x-forwarded-host").map(str::to_owned))
        .or_else(|| header(HOST.as_str()).map(str::to_owned))
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .filter(|h| !h.contains(['/', ' ']));
    match host {
        Some(host) => format!("{scheme}://{host}{}", routes::base_path(ods.as_str())),
        None => routes::base_path(ods.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(headers: &[(&str, &str)], tls: bool) -> String {
        let mut request = http::Request::builder().uri("/A20047/STU3/1/gpconnect/Slot");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectionInfo {
            remote: SocketAddr::from(([127, 0, 0, 1], 1)),
            tls,
        });
        base_url(&parts, &OdsCode::parse("A20047").unwrap())
    }

    #[test]
    fn the_base_url_follows_the_listener_and_forwarding_proxies() {
        assert_eq!(
            base(&[("host", "gp.example")], false),
            "http://gp.example/A20047/STU3/1/gpconnect"
        );
        assert_eq!(
            base(&[("host", "gp.example:8443")], true),
            "https://gp.example:8443/A20047/STU3/1/gpconnect"
        );
        assert_eq!(
            base(
                &[
                    ("host", "10.0.0.5:8080"),
                    (
                        "forwarded",
                        r#"proto=https;host="provider.nhs.example", for=1.2.3.4"#
                    )
                ],
                false
            ),
            "https://provider.nhs.example/A20047/STU3/1/gpconnect"
        );
        assert_eq!(
            base(
                &[
                    ("host", "10.0.0.5:8080"),
                    ("x-forwarded-proto", "https"),
                    ("x-forwarded-host", "provider.nhs.example")
                ],
                false
            ),
            "https://provider.nhs.example/A20047/STU3/1/gpconnect"
        );
        assert_eq!(base(&[], false), "/A20047/STU3/1/gpconnect");
    }
}
