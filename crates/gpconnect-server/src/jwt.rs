//! The unsigned JWT in `Authorization: Bearer` (SPEC 2.5), checked with every rule the assurance
//! suite exercises (ATS JWT.feature): all claims present and non-null, `exp - iat == 300`, not
//! expired (a future `iat` is accepted), `reason_for_request == directcare`, the interaction's
//! scope, the three embedded resources decoded strictly as FHIR, `sub` equal to the
//! practitioner's id and no retired `requested_record`. `aud` is not compared with the service
//! root (SPEC 9.20).

use std::sync::Arc;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use gpconnect_domain::{Interaction, Scope};
use http::HeaderMap;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The SDS user id identifier system (SPEC 2.9).
pub const SDS_USER_ID_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-user-id";
/// The SDS role profile id identifier system (SPEC 2.9).
pub const SDS_ROLE_PROFILE_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";
/// The ODS organisation code identifier system (SPEC 2.9).
pub const ODS_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";

/// The only lifetime a token may have (SPEC 2.5: `exp` is exactly `iat + 300`).
const LIFETIME_SECONDS: i64 = 300;

/// The claims every token must carry, non-null (SPEC 2.5).
const MANDATORY_CLAIMS: [&str; 10] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "reason_for_request",
    "requested_scope",
    "requesting_device",
    "requesting_organization",
    "requesting_practitioner",
];

/// The person making the request (`requesting_practitioner`), for audit and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestingUser {
    /// `requesting_practitioner.id` (equal to `sub`).
    pub id: String,
    /// Prefix, given names and family name, space-separated.
    pub name: String,
    /// The `https://fhir.nhs.uk/Id/sds-user-id` identifier (may be `UNK`).
    pub sds_user_id: Option<String>,
    /// The first `https://fhir.nhs.uk/Id/sds-role-profile-id` identifier (may be `UNK`).
    pub role_profile_id: Option<String>,
}

/// The organisation the request comes from (`requesting_organization`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestingOrganisation {
    /// The ODS code identifier, as sent.
    pub ods_code: Option<String>,
    /// `name`, as sent.
    pub name: String,
}

/// A token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwt {
    /// `iss`: the consumer's endpoint.
    pub issuer: String,
    /// `aud`, as sent.
    pub audience: String,
    /// `iat`, UNIX seconds.
    pub issued_at: i64,
    /// `exp`, UNIX seconds.
    pub expires_at: i64,
    /// `requested_scope`.
    pub scope: Scope,
    /// From `requesting_practitioner`.
    pub user: RequestingUser,
    /// From `requesting_organization`.
    pub organisation: RequestingOrganisation,
}

impl Jwt {
    /// Reads and checks the `Authorization` header for `interaction` at `now` (UNIX seconds),
    /// with the help of the tokens already verified.
    pub fn from_headers(
        headers: &HeaderMap,
        interaction: Interaction,
        now: i64,
        verified: &VerifiedTokens,
    ) -> Result<Self, ApiError> {
        let value = crate::ssp::header_value(headers, "Authorization")?;
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("Bearer") => token.trim(),
            _ => return Err(bad("The Authorization header must be 'Bearer <JWT>'")),
        };
        verified.check(token, interaction, now)
    }

    /// Checks a bare token for `interaction` at `now` (UNIX seconds).
    pub fn check(token: &str, interaction: Interaction, now: i64) -> Result<Self, ApiError> {
        let claims = decode(token)?;
        // SPEC 2.5: `requested_record` is the retired 0.x claim (the demonstrator rejects it).
        if claims.contains_key("requested_record") {
            return Err(bad(
                "The JWT contains requested_record, a claim not used since GP Connect 1.0",
            ));
        }
        for name in MANDATORY_CLAIMS {
            match claims.get(name) {
                None => return Err(bad(format!("The JWT claim {name} is missing"))),
                Some(Value::Null) => return Err(bad(format!("The JWT claim {name} is null"))),
                Some(_) => {}
            }
        }
        let issuer = string_claim(&claims, "iss")?;
        let subject = string_claim(&claims, "sub")?;
        let audience = string_claim(&claims, "aud")?;
        let issued_at = seconds_claim(&claims, "iat")?;
        let expires_at = seconds_claim(&claims, "exp")?;
        // i128: claims are consumer input and may sit at the ends of the i64 range.
        let lifetime = i128::from(expires_at) - i128::from(issued_at);
        if lifetime != i128::from(LIFETIME_SECONDS) {
            return Err(bad(format!(
                "The JWT exp must be exactly iat + {LIFETIME_SECONDS} seconds; it is iat + {lifetime}"
            )));
        }
        check_not_expired(expires_at, now)?;
        let reason = string_claim(&claims, "reason_for_request")?;
        if reason != "directcare" {
            return Err(bad(format!(
                "The JWT reason_for_request must be 'directcare', not '{reason}'"
            )));
        }
        let scope_raw = string_claim(&claims, "requested_scope")?;
        let scope = Scope::parse(&scope_raw).ok_or_else(|| {
            bad(format!(
                "The JWT requested_scope '{scope_raw}' is not a GP Connect scope"
            ))
        })?;
        check_scope(scope, interaction)?;
        let device = claims.get("requesting_device").unwrap_or(&Value::Null);
        check_resource("requesting_device", device, "Device")?;
        let organisation = claims
            .get("requesting_organization")
            .unwrap_or(&Value::Null);
        check_resource("requesting_organization", organisation, "Organization")?;
        let practitioner = claims
            .get("requesting_practitioner")
            .unwrap_or(&Value::Null);
        check_resource("requesting_practitioner", practitioner, "Practitioner")?;

        let user = requesting_user(practitioner);
        // SPEC 2.5: sub SHALL equal requesting_practitioner.id.
        if user.id != subject {
            return Err(bad(format!(
                "The JWT sub '{subject}' is not the requesting_practitioner id '{}'",
                user.id
            )));
        }
        Ok(Self {
            issuer,
            audience,
            issued_at,
            expires_at,
            scope,
            user,
            organisation: requesting_organisation(organisation),
        })
    }
}

impl Jwt {
    /// The checks of [`Jwt::check`] that depend on the request rather than the token: not
    /// expired at `now`, and a scope that allows `interaction`. A token that passed
    /// [`Jwt::check`] once passes it again for another request exactly when it passes these.
    pub fn allows(&self, interaction: Interaction, now: i64) -> Result<(), ApiError> {
        check_not_expired(self.expires_at, now)?;
        check_scope(self.scope, interaction)
    }
}

/// A future iat is accepted (clock skew, SPEC 2.5); an expired token is not.
fn check_not_expired(expires_at: i64, now: i64) -> Result<(), ApiError> {
    if expires_at <= now {
        return Err(bad(format!(
            "The JWT expired {} seconds ago",
            now.saturating_sub(expires_at)
        )));
    }
    Ok(())
}

fn check_scope(scope: Scope, interaction: Interaction) -> Result<(), ApiError> {
    if scope != interaction.scope() {
        return Err(bad(format!(
            "The JWT requested_scope '{scope}' does not allow {}; it must be '{}'",
            interaction.name(),
            interaction.scope()
        )));
    }
    Ok(())
}

/// The tokens that passed [`Jwt::check`] recently, so that a consumer sending the same token
/// again (a token lives 300 s, SPEC 2.5) is not decoded and validated again: only the checks
/// that depend on the request ([`Jwt::allows`]) run. Bounded in bytes; refused tokens are not
/// kept.
#[derive(Debug, Clone)]
pub struct VerifiedTokens {
    tokens: moka::sync::Cache<String, Arc<Jwt>>,
}

impl VerifiedTokens {
    /// Room for `max_bytes` of tokens (by their length).
    pub fn new(max_bytes: u64) -> Self {
        Self {
            tokens: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|token: &String, _: &Arc<Jwt>| {
                    u32::try_from(token.len() + 512).unwrap_or(u32::MAX)
                })
                // Longer than any token is valid for (iat + 300 s), give or take clock skew.
                .time_to_live(std::time::Duration::from_secs(600))
                .build(),
        }
    }

    /// [`Jwt::check`], answered from the tokens already verified when `token` is one of them.
    pub fn check(&self, token: &str, interaction: Interaction, now: i64) -> Result<Jwt, ApiError> {
        if let Some(known) = self.tokens.get(token) {
            known.allows(interaction, now)?;
            return Ok(Jwt::clone(&known));
        }
        let jwt = Jwt::check(token, interaction, now)?;
        self.tokens.insert(token.to_owned(), Arc::new(jwt.clone()));
        Ok(jwt)
    }
}

impl Default for VerifiedTokens {
    fn default() -> Self {
        Self::new(DEFAULT_VERIFIED_TOKEN_BYTES)
    }
}

/// The default room of [`VerifiedTokens`]: 8 MiB, a few thousand tokens.
pub const DEFAULT_VERIFIED_TOKEN_BYTES: u64 = 8 * 1024 * 1024;

fn bad(diagnostics: impl Into<String>) -> ApiError {
    ApiError::bad_request(diagnostics)
}

/// Splits and decodes `header.payload.` (SPEC 2.5: unsigned, empty signature).
fn decode(token: &str) -> Result<Map<String, Value>, ApiError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(bad(format!(
            "The JWT must have three dot-separated parts (header.payload.signature); it has {}",
            parts.len()
        )));
    };
    if !signature.is_empty() {
        return Err(bad(
            "The JWT must be unsigned (alg none, empty signature part)",
        ));
    }
    let header = json_part(header, "header")?;
    if header.get("alg").and_then(Value::as_str) != Some("none") {
        return Err(bad("The JWT header must have alg 'none'"));
    }
    if let Some(typ) = header.get("typ") {
        if typ.as_str() != Some("JWT") {
            return Err(bad("The JWT header typ must be 'JWT'"));
        }
    }
    json_part(payload, "payload")
}

fn json_part(part: &str, what: &str) -> Result<Map<String, Value>, ApiError> {
    const BASE64URL: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let bytes = BASE64URL
        .decode(part)
        .map_err(|_| bad(format!("The JWT {what} is not base64url-encoded")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad(format!("The JWT {what} is not a JSON object"))),
        Err(e) => Err(bad(format!("The JWT {what} is not valid JSON: {e}"))),
    }
}

fn string_claim(claims: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    match claims.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(bad(format!("The JWT claim {name} is empty"))),
        _ => Err(bad(format!("The JWT claim {name} must be a string"))),
    }
}

fn seconds_claim(claims: &Map<String, Value>, name: &str) -> Result<i64, ApiError> {
    claims.get(name).and_then(Value::as_i64).ok_or_else(|| {
        bad(format!(
            "The JWT claim {name} must be an integer number of seconds since the UNIX epoch"
        ))
    })
}

fn identifier(resource: &Value, system: &str) -> Option<String> {
    resource
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("system").and_then(Value::as_str) == Some(system))
        .and_then(|i| i.get("value"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn requesting_user(practitioner: &Value) -> RequestingUser {
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let name = practitioner
        .get("name")
        .and_then(Value::as_array)
        .and_then(|names| names.first())
        .map(|n| {
            let mut parts = strings(n.get("prefix"));
            parts.extend(strings(n.get("given")));
            if let Some(family) = n.get("family").and_then(Value::as_str) {
                parts.push(family.to_owned());
            }
            parts.join(" ")
        })
        .unwrap_or_default();
    RequestingUser {
        id: practitioner
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        name,
        sds_user_id: identifier(practitioner, SDS_USER_ID_SYSTEM),
        role_profile_id: identifier(practitioner, SDS_ROLE_PROFILE_SYSTEM),
    }
}

fn requesting_organisation(organisation: &Value) -> RequestingOrganisation {
    RequestingOrganisation {
        ods_code: identifier(organisation, ODS_CODE_SYSTEM),
        name: organisation
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Decodes a resource claim strictly as FHIR STU3 and checks it is a `expected` (SPEC 2.5, 9.5):
/// a claim that cannot be decoded (unknown `resourceType`, unknown element, wrong datatype) is
/// 422 INVALID_RESOURCE (ATS JWT.feature); a valid resource of another type is 400 BAD_REQUEST.
fn check_resource(claim: &str, value: &Value, expected: &str) -> Result<(), ApiError> {
    let resource = gpconnect_fhir::json::decode_value(value.clone()).map_err(|e| {
        ApiError::invalid_resource(format!(
            "The JWT claim {claim} is not a valid FHIR {expected}: {e}"
        ))
    })?;
    if resource.resource_type() == expected {
        Ok(())
    } else {
        Err(bad(format!(
            "The JWT claim {claim} must be a {expected}, not a {}",
            resource.resource_type()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(claims: &Value) -> String {
        let encode = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        format!(
            "{}.{}.",
            encode(br#"{"alg":"none","typ":"JWT"}"#),
            encode(claims.to_string().as_bytes())
        )
    }

    fn claims(iat: i64, exp: i64) -> Value {
        json!({
            "iss": "https://consumer.example/", "sub": "1", "aud": "https://provider.example/",
            "iat": iat, "exp": exp, "reason_for_request": "directcare",
            "requested_scope": "organization/*.read",
            "requesting_device": { "resourceType": "Device", "model": "m", "version": "1" },
            "requesting_organization": {
                "resourceType": "Organization", "name": "Surgery",
                "identifier": [{ "system": ODS_CODE_SYSTEM, "value": "A1001" }]
            },
            "requesting_practitioner": {
                "resourceType": "Practitioner", "id": "1",
                "name": [{ "family": "Jones", "given": ["Claire"], "prefix": ["Dr"] }],
                "identifier": [
                    { "system": SDS_USER_ID_SYSTEM, "value": "111222333444" },
                    { "system": SDS_ROLE_PROFILE_SYSTEM, "value": "444555666777" }
                ]
            }
        })
    }

    #[test]
    fn the_user_and_organisation_are_read_from_the_claims() {
        let now = 1_700_000_000;
        let jwt = Jwt::check(
            &token(&claims(now, now + 300)),
            Interaction::ReadMetadata,
            now,
        )
        .unwrap();
        assert_eq!(jwt.user.name, "Dr Claire Jones");
        assert_eq!(jwt.user.sds_user_id.as_deref(), Some("111222333444"));
        assert_eq!(jwt.user.role_profile_id.as_deref(), Some("444555666777"));
        assert_eq!(jwt.organisation.ods_code.as_deref(), Some("A1001"));
        assert_eq!(jwt.organisation.name, "Surgery");
    }

    #[test]
    fn a_verified_token_is_checked_again_for_time_and_scope_only() {
        let now = 1_700_000_000;
        let verified = VerifiedTokens::default();
        let good = token(&claims(now, now + 300));
        let first = verified
            .check(&good, Interaction::ReadMetadata, now)
            .unwrap();
        let again = verified
            .check(&good, Interaction::SearchSlots, now + 299)
            .unwrap();
        assert_eq!(first, again);
        // The same answers as checking afresh, for every interaction and time.
        for interaction in [
            Interaction::ReadMetadata,
            Interaction::BookAppointment,
            Interaction::ReadPatient,
        ] {
            for at in [now, now + 299, now + 300, now + 10_000] {
                let fresh =
                    Jwt::check(&good, interaction, at).map_err(|e| e.diagnostics().to_owned());
                let kept = verified
                    .check(&good, interaction, at)
                    .map_err(|e| e.diagnostics().to_owned());
                assert_eq!(kept, fresh, "{interaction:?} at {at}");
            }
        }
        // A refused token is refused every time, and not kept.
        let mut wrong = claims(now, now + 300);
        wrong["sub"] = json!("2");
        let wrong = token(&wrong);
        for _ in 0..2 {
            assert_eq!(
                verified
                    .check(&wrong, Interaction::ReadMetadata, now)
                    .unwrap_err()
                    .status()
                    .as_u16(),
                400
            );
        }
        verified.tokens.run_pending_tasks();
        assert_eq!(verified.tokens.entry_count(), 1);
    }

    #[test]
    fn extreme_times_are_rejected_without_overflow() {
        for (iat, exp) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (-1, i64::MAX)] {
            let err =
                Jwt::check(&token(&claims(iat, exp)), Interaction::ReadMetadata, 0).unwrap_err();
            assert_eq!(err.status().as_u16(), 400);
        }
        let err = Jwt::check(
            &token(&claims(i64::MIN, i64::MIN + 300)),
            Interaction::ReadMetadata,
            i64::MAX,
        )
        .unwrap_err();
        assert!(err.diagnostics().contains("expired"));
    }
}
