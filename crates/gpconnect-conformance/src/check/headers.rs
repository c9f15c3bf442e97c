//! Response headers the suite checks (ATS 3.8, SPEC 2.3, 2.7).

use serde_json::Value;

use crate::response::Reply;
use crate::verdict::{ensure, Check};

/// Requires `Cache-Control` to contain `no-store` (SPEC 2.3: every response).
pub(crate) fn no_store(reply: &Reply) -> Check {
    let value = reply.header("cache-control").unwrap_or_default();
    ensure!(
        value.to_ascii_lowercase().contains("no-store"),
        "Cache-Control is {value:?}, expected no-store"
    );
    Ok(())
}

/// Requires `ETag: W/"<meta.versionId>"` (SPEC 2.7).
pub(crate) fn etag(reply: &Reply, resource: &Value) -> Check {
    let version = resource["meta"]["versionId"].as_str().unwrap_or_default();
    let expected = format!("W/\"{version}\"");
    let actual = reply.header("etag");
    ensure!(
        !version.is_empty() && actual == Some(expected.as_str()),
        "ETag is {actual:?}, expected {expected:?}"
    );
    Ok(())
}

/// Requires an empty body without a FHIR Content-Type (ATS 1.6: `Prefer: return=minimal`).
pub(crate) fn empty_body(reply: &Reply) -> Check {
    ensure!(
        reply.body.is_empty(),
        "expected an empty body, got {} bytes",
        reply.body.len()
    );
    ensure!(
        reply.format().is_err(),
        "an empty body must not carry a FHIR Content-Type"
    );
    Ok(())
}

/// Requires a Content-Type and a non-zero Content-Length (ATS `Prefer: return=representation`).
pub(crate) fn has_representation(reply: &Reply) -> Check {
    ensure!(
        reply.header("content-type").is_some(),
        "no Content-Type on a representation"
    );
    let length = reply.header("content-length");
    ensure!(
        length != Some("0") && !reply.body.is_empty(),
        "the representation is empty (Content-Length {length:?})"
    );
    Ok(())
}
