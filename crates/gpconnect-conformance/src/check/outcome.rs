//! The OperationOutcome every error must carry (ATS 3.7, SPEC 2.8).

use serde_json::Value;

use super::elements::{array, has, text};
use crate::response::Reply;
use crate::verdict::{ensure, Check};

/// Requires a GP Connect OperationOutcome: `meta` present, at least one issue, every issue of
/// severity `error` with a `code` and exactly one `details.coding` with a code and a display;
/// when `code` is given, the first issue's Spine code equals it.
pub(crate) fn operation_outcome(outcome: &Value, code: Option<&str>) -> Check {
    ensure!(
        outcome["resourceType"] == "OperationOutcome",
        "expected an OperationOutcome, got {}",
        outcome["resourceType"]
    );
    ensure!(has(outcome, "meta"), "the OperationOutcome has no meta");
    let issues = array(&outcome["issue"]);
    ensure!(!issues.is_empty(), "the OperationOutcome has no issue");
    for issue in issues {
        ensure!(
            issue["severity"] == "error",
            "issue severity is {}, expected error",
            issue["severity"]
        );
        ensure!(text(&issue["code"]).is_some(), "an issue has no code");
        let codings = array(&issue["details"]["coding"]);
        ensure!(
            codings.len() == 1,
            "an issue has {} details.coding, expected exactly one",
            codings.len()
        );
        ensure!(
            text(&codings[0]["code"]).is_some() && text(&codings[0]["display"]).is_some(),
            "an issue's details.coding lacks a code or a display"
        );
    }
    if let Some(expected) = code {
        let actual = &issues[0]["details"]["coding"][0]["code"];
        ensure!(
            actual == expected,
            "Spine code {actual}, expected {expected}"
        );
    }
    Ok(())
}

/// Requires `status` (or, when `None`, anything but 200) and an OperationOutcome with `code`.
pub(crate) fn error(reply: &Reply, status: Option<u16>, code: Option<&str>) -> Check {
    match status {
        Some(status) => reply.status(status)?,
        None => reply.not_ok()?,
    }
    operation_outcome(&reply.resource()?, code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn outcome(code: &str) -> Value {
        json!({"resourceType": "OperationOutcome", "meta": {"profile": ["p"]}, "issue": [{
            "severity": "error", "code": "invalid",
            "details": {"coding": [{"system": "s", "code": code, "display": "d"}]}
        }]})
    }

    #[test]
    fn the_shape_and_the_code_are_checked() {
        assert!(operation_outcome(&outcome("BAD_REQUEST"), Some("BAD_REQUEST")).is_ok());
        assert!(operation_outcome(&outcome("BAD_REQUEST"), Some("INVALID_RESOURCE")).is_err());
        let mut no_meta = outcome("BAD_REQUEST");
        no_meta.as_object_mut().unwrap().remove("meta");
        assert!(operation_outcome(&no_meta, None).is_err());
        let mut warning = outcome("BAD_REQUEST");
        warning["issue"][0]["severity"] = json!("warning");
        assert!(operation_outcome(&warning, None).is_err());
        let mut two = outcome("BAD_REQUEST");
        two["issue"][0]["details"]["coding"] =
            json!([{"code": "a", "display": "a"}, {"code": "b", "display": "b"}]);
        assert!(operation_outcome(&two, None).is_err());
    }
}
