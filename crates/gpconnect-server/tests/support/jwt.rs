//! JWTs as the assurance suite builds them (ATS 1.4), with every claim adjustable.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gpconnect_domain::Interaction;
use serde_json::{json, Map, Value};

/// Builds an unsigned GP Connect JWT.
#[derive(Debug, Clone)]
pub struct JwtBuilder {
    claims: Map<String, Value>,
}

/// Now, in UNIX seconds.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl JwtBuilder {
    /// The suite's default token for `interaction`: issued two seconds ago, valid for 300 s.
    pub fn new(interaction: Interaction) -> Self {
        let iat = now() - 2;
        let claims = json!({
            "iss": "https://ConsumerSystemURL",
            "sub": "1",
            "aud": "https://authorize.fhir.nhs.net/token",
            "exp": iat + 300,
            "iat": iat,
            "reason_for_request": "directcare",
            "requested_scope": interaction.scope().as_str(),
            "requesting_device": {
                "resourceType": "Device",
                "identifier": [{ "system": "GPConnectTestSystem", "value": "Client" }],
                "model": "v1",
                "version": "1.1"
            },
            "requesting_organization": {
                "resourceType": "Organization",
                "identifier": [{
                    "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                    "value": "GPCA0001"
                }],
                "name": "GP Connect Assurance"
            },
            "requesting_practitioner": {
                "resourceType": "Practitioner",
                "id": "1",
                "identifier": [
                    { "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "GCASDS0001" },
                    { "system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "112233445566" },
                    {
                        "system": "https://consumersupplier.com/Id/user-guid",
                        "value": "98ed4f78-814d-4266-8d5b-cde742f3093c"
                    }
                ],
                "name": [{
                    "family": "AssurancePractitioner",
                    "given": ["AssuranceTest"],
                    "prefix": ["Mr"]
                }]
            }
        });
        let Value::Object(claims) = claims else {
            unreachable!("a JSON object literal")
        };
        Self { claims }
    }

    /// Sets (or replaces) a claim.
    pub fn set(mut self, name: &str, value: Value) -> Self {
        self.claims.insert(name.to_owned(), value);
        self
    }

    /// Removes a claim.
    pub fn remove(mut self, name: &str) -> Self {
        self.claims.remove(name);
        self
    }

    /// Sets `iat` and `exp`.
    pub fn times(self, iat: i64, exp: i64) -> Self {
        self.set("iat", json!(iat)).set("exp", json!(exp))
    }

    /// Changes a member of an embedded resource claim.
    pub fn set_in(mut self, claim: &str, member: &str, value: Value) -> Self {
        if let Some(Value::Object(resource)) = self.claims.get_mut(claim) {
            resource.insert(member.to_owned(), value);
        }
        self
    }

    /// The claims as JSON.
    pub fn claims(&self) -> Value {
        Value::Object(self.claims.clone())
    }

    /// `base64url(header).base64url(payload).`
    pub fn token(&self) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(self.claims().to_string());
        format!("{header}.{payload}.")
    }

    /// The header and payload as raw JSON text, not base64 (ATS JWT.feature #1).
    pub fn unencoded_token(&self) -> String {
        format!(r#"{{"alg":"none","typ":"JWT"}}.{}."#, self.claims())
    }
}
