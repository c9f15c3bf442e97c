//! A stand-in for the Spine Secure Proxy (SPEC 2.2): it receives
//! `{ssp}/{provider service root}/{request}`, forwards the request to the provider URL and
//! relays the answer. It records every request it receives and can be told to lose the answer
//! of the next booking, as a proxy timing out on the provider would, or to answer the next
//! requests itself with an error status, as an overloaded proxy would.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::task::JoinHandle;

#[derive(Default)]
struct Inner {
    lose_next_booking_answer: AtomicBool,
    refuse_next: AtomicUsize,
    forwarded: Mutex<Vec<String>>,
    trace_ids: Mutex<Vec<String>>,
}

/// A running stand-in SSP.
pub struct SspStub {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    server: JoinHandle<()>,
}

impl SspStub {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let app = Router::new().fallback(forward).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            inner,
            server,
        }
    }

    /// The URL prefix consumers put in front of provider URLs.
    pub fn prefix(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next `POST .../Appointment` is forwarded, but its answer is replaced with a 504.
    pub fn lose_next_booking_answer(&self) {
        self.inner
            .lose_next_booking_answer
            .store(true, Ordering::SeqCst);
    }

    /// The next `count` requests are answered 503 without reaching the provider.
    pub fn refuse_next(&self, count: usize) {
        self.inner.refuse_next.store(count, Ordering::SeqCst);
    }

    /// The `Ssp-InteractionID` of every request forwarded so far, in order.
    pub fn forwarded(&self) -> Vec<String> {
        self.inner.forwarded.lock().unwrap().clone()
    }

    /// The `Ssp-TraceID` of every request received so far (refused ones included), in order.
    pub fn trace_ids(&self) -> Vec<String> {
        self.inner.trace_ids.lock().unwrap().clone()
    }
}

impl Drop for SspStub {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn forward(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().trim_start_matches('/').to_owned())
        .unwrap_or_default();
    if !target.starts_with("http://") && !target.starts_with("https://") {
        return (StatusCode::BAD_REQUEST, "not a provider URL").into_response();
    }
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    inner.trace_ids.lock().unwrap().push(header("Ssp-TraceID"));
    let refuse = inner
        .refuse_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if refuse {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    inner
        .forwarded
        .lock()
        .unwrap()
        .push(header("Ssp-InteractionID"));
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let client = reqwest::Client::builder().gzip(false).build().unwrap();
    let mut outgoing = client.request(parts.method.clone(), &target).body(body);
    for (name, value) in &parts.headers {
        if name != "host" {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(_) => return (StatusCode::BAD_GATEWAY, "provider unreachable").into_response(),
    };
    let is_booking = parts.method == "POST"
        && target
            .split('?')
            .next()
            .unwrap_or("")
            .ends_with("/Appointment");
    if is_booking && inner.lose_next_booking_answer.swap(false, Ordering::SeqCst) {
        return (
            StatusCode::GATEWAY_TIMEOUT,
            "the provider did not answer in time",
        )
            .into_response();
    }
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap();
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        if name != "transfer-encoding" && name != "content-length" && name != "connection" {
            if let Ok(name) = HeaderName::from_bytes(name.as_str().as_bytes()) {
                response.headers_mut().append(name, value.clone());
            }
        }
    }
    response
}
