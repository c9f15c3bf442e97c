//! JWT.feature (ATS 2.1): the bearer token's claims and their errors (SPEC 2.5), on
//! `GET metadata`.

use gpconnect_domain::Interaction;
use serde_json::{json, Map, Value};

use crate::check::{elements::SDS_USER_SYSTEM, outcome};
use crate::runner::Cases;
use crate::Feature;

/// A change to the default claims.
type Edit = fn(&mut Map<String, Value>);

/// What a token variation must produce.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// 200 with the CapabilityStatement.
    Accepted,
    /// This status with an OperationOutcome.
    Rejected(u16),
}

fn remove(claims: &mut Map<String, Value>, name: &str) {
    claims.remove(name);
}

fn lifetime(claims: &mut Map<String, Value>, seconds: i64) {
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    claims.insert("exp".into(), json!(iat + seconds));
}

fn issued(claims: &mut Map<String, Value>, offset: i64) {
    let now = jiff::Timestamp::now().as_second();
    claims.insert("iat".into(), json!(now + offset));
    claims.insert("exp".into(), json!(now + offset + 300));
}

/// Sets the element at a JSON `pointer` inside the claims (creating the last key if needed).
fn set(claims: &mut Map<String, Value>, pointer: &str, value: Value) {
    let mut document = Value::Object(std::mem::take(claims));
    if let Some((parent, key)) = pointer.rsplit_once('/') {
        match document.pointer_mut(parent) {
            Some(Value::Object(object)) => {
                object.insert(key.to_owned(), value);
            }
            Some(Value::Array(array)) => {
                if let Some(slot) = key.parse::<usize>().ok().and_then(|i| array.get_mut(i)) {
                    *slot = value;
                }
            }
            _ => {}
        }
    }
    if let Value::Object(object) = document {
        *claims = object;
    }
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::Jwt);
    cases.scenario("JWT Bearer Token - not base 64 encoded", |ctx| async move {
        let claims = Value::Object(ctx.claims(Interaction::ReadMetadata));
        let token = format!("{}.{}.", json!({"alg": "none", "typ": "JWT"}), claims);
        let reply = ctx
            .send(
                ctx.call(Interaction::ReadMetadata, "metadata")
                    .raw_token(token),
            )
            .await?;
        outcome::error(&reply, Some(400), None)
    });
    let table: [(&'static str, Edit, Expect); 21] = [
        (
            "JWT Requesting System URL - missing",
            |c| remove(c, "iss"),
            Expect::Rejected(400),
        ),
        (
            "JWT Expiry Time - missing",
            |c| remove(c, "exp"),
            Expect::Rejected(400),
        ),
        (
            "JWT Expiry Time - greater than 300 seconds",
            |c| lifetime(c, 301),
            Expect::Rejected(400),
        ),
        (
            "JWT Expiry Time - less than 300 seconds",
            |c| lifetime(c, 299),
            Expect::Rejected(400),
        ),
        (
            "JWT Expiry Time - before Creation Time",
            |c| lifetime(c, -1),
            Expect::Rejected(400),
        ),
        (
            "JWT Creation Time - missing",
            |c| remove(c, "iat"),
            Expect::Rejected(400),
        ),
        // ATS JWT 8: a future iat is tolerated (clock skew, SPEC 2.5).
        (
            "JWT Creation Time - in the future",
            |c| issued(c, 200),
            Expect::Accepted,
        ),
        (
            "JWT Reason For Request - missing",
            |c| remove(c, "reason_for_request"),
            Expect::Rejected(400),
        ),
        (
            "JWT Authorization Server Token URL - missing",
            |c| remove(c, "aud"),
            Expect::Rejected(400),
        ),
        (
            "JWT Requesting Device - missing",
            |c| remove(c, "requesting_device"),
            Expect::Rejected(400),
        ),
        // SPEC 2.5: a claim that cannot be read as FHIR is 422 INVALID_RESOURCE.
        (
            "JWT Requesting Device - invalid",
            |c| {
                set(
                    c,
                    "/requesting_device/invalidField",
                    json!("Assurance Testing"),
                )
            },
            Expect::Rejected(422),
        ),
        (
            "JWT Requesting Device - Resource Type - invalid",
            |c| {
                set(
                    c,
                    "/requesting_device/resourceType",
                    json!("InvalidResourceType"),
                )
            },
            Expect::Rejected(422),
        ),
        (
            "JWT Requesting Identity - missing",
            |c| remove(c, "requesting_practitioner"),
            Expect::Rejected(400),
        ),
        (
            "JWT Requesting Identity - UNK value",
            |c| {
                let ids = c
                    .get("requesting_practitioner")
                    .and_then(|p| p["identifier"].as_array())
                    .cloned()
                    .unwrap_or_default();
                let ids: Vec<Value> = ids
                    .into_iter()
                    .map(|mut i| {
                        if i["system"] == SDS_USER_SYSTEM
                            || i["system"] == "https://fhir.nhs.uk/Id/sds-role-profile-id"
                        {
                            i["value"] = json!("UNK");
                        }
                        i
                    })
                    .collect();
                set(c, "/requesting_practitioner/identifier", Value::Array(ids));
            },
            Expect::Accepted,
        ),
        (
            "JWT Missing sdsRoleProfile and guid",
            |c| {
                let ids: Vec<Value> = c
                    .get("requesting_practitioner")
                    .and_then(|p| p["identifier"].as_array())
                    .into_iter()
                    .flatten()
                    .filter(|i| i["system"] == SDS_USER_SYSTEM)
                    .cloned()
                    .collect();
                set(c, "/requesting_practitioner/identifier", Value::Array(ids));
            },
            Expect::Accepted,
        ),
        (
            "JWT Requesting Identity - Resource Type - invalid",
            |c| {
                set(
                    c,
                    "/requesting_practitioner/resourceType",
                    json!("InvalidResourceType"),
                )
            },
            Expect::Rejected(422),
        ),
        (
            "JWT Requested Scope - missing",
            |c| remove(c, "requested_scope"),
            Expect::Rejected(400),
        ),
        (
            "JWT Requested Scope - Metadata - incorrect",
            |c| set(c, "/requested_scope", json!("badScope")),
            Expect::Rejected(400),
        ),
        (
            "JWT Requesting Organization - Backward Compatability for RC5",
            |c| {
                set(
                    c,
                    "/requesting_organization/identifier/0/system",
                    json!("https://fhir.nhs.uk/Id/ods-organization-code"),
                )
            },
            Expect::Accepted,
        ),
        (
            "JWT Everything normal test",
            |c| issued(c, 0),
            Expect::Accepted,
        ),
        // ATS JWT 22: issued 600 s ago, so expired 300 s ago.
        (
            "JWT Consumer clock is slow 600s",
            |c| issued(c, -600),
            Expect::Rejected(400),
        ),
    ];
    for (scenario, edit, expect) in table {
        cases.scenario(scenario, move |ctx| async move {
            let reply = ctx
                .send(ctx.call(Interaction::ReadMetadata, "metadata").claims(edit))
                .await?;
            match expect {
                Expect::Accepted => {
                    reply.status(200)?;
                    reply.resource_of("CapabilityStatement").map(|_| ())
                }
                Expect::Rejected(status) => outcome::error(&reply, Some(status), None),
            }
        });
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_change_only_their_claim() {
        let mut claims = Map::new();
        claims.insert("iat".into(), json!(1000));
        claims.insert("exp".into(), json!(1300));
        claims.insert(
            "requesting_device".into(),
            json!({"resourceType": "Device"}),
        );
        lifetime(&mut claims, 299);
        assert_eq!(claims["exp"], 1299);
        set(&mut claims, "/requesting_device/resourceType", json!("X"));
        assert_eq!(claims["requesting_device"]["resourceType"], "X");
        assert_eq!(claims["iat"], 1000);
        set(&mut claims, "/requesting_device/invalidField", json!("A"));
        assert_eq!(claims["requesting_device"]["invalidField"], "A");
    }
}
