//! The unsigned bearer token sent with every request (SPEC 2.5).
//!
//! A new token is made for every request (and every retry): header `{"alg":"none","typ":"JWT"}`,
//! exactly the ten 1.x claims, `exp` exactly `iat + 300`, and the three requesting resources
//! as minimal STU3 resources built with `gpconnect-fhir`, so that they pass a provider's strict
//! FHIR decoding of the claims.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gpconnect_domain::{Interaction, Scope};
use gpconnect_fhir::{Device, HumanName, Identifier, Organization, Practitioner, Resource};
use serde_json::{Map, Value};

use crate::config::{OrganisationConfig, SystemConfig, UserConfig};
use crate::fhir_urls::{ODS_CODE_SYSTEM, SDS_ROLE_PROFILE_SYSTEM, SDS_USER_ID_SYSTEM};

/// The token lifetime (SPEC 2.5: `exp` is exactly `iat + 300`).
pub const LIFETIME_SECONDS: i64 = 300;
/// The only `reason_for_request` (SPEC 2.5).
pub const REASON_FOR_REQUEST: &str = "directcare";
/// The token header (SPEC 2.5).
const HEADER: &str = r#"{"alg":"none","typ":"JWT"}"#;

/// The claims of one token.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtClaims {
    /// `iss`: the consumer system's endpoint URL.
    pub iss: String,
    /// `sub`: the requesting user's id (equal to `requesting_practitioner.id`).
    pub sub: String,
    /// `aud`: the provider's service root.
    pub aud: String,
    /// `exp`: UNIX seconds, `iat + 300`.
    pub exp: i64,
    /// `iat`: UNIX seconds.
    pub iat: i64,
    /// `requested_scope`: the interaction's scope.
    pub requested_scope: Scope,
    /// `requesting_device`.
    pub requesting_device: Device,
    /// `requesting_organization`.
    pub requesting_organization: Organization,
    /// `requesting_practitioner`.
    pub requesting_practitioner: Practitioner,
}

fn identifier(system: &str, value: &str) -> Identifier {
    Identifier {
        system: Some(system.to_owned()),
        value: Some(value.to_owned()),
        ..Identifier::default()
    }
}

impl JwtClaims {
    /// The claims for `interaction` sent to the provider at `audience` (its service root),
    /// issued at `now` (UNIX seconds).
    pub fn new(
        user: &UserConfig,
        organisation: &OrganisationConfig,
        system: &SystemConfig,
        audience: &str,
        interaction: Interaction,
        now: i64,
    ) -> Self {
        let requesting_device = Device {
            identifier: vec![identifier(
                &system.device_identifier_system,
                &system.device_identifier_value,
            )],
            model: Some(system.device_model.clone()),
            version: Some(system.device_version.clone()),
            ..Device::default()
        };
        let requesting_organization = Organization {
            identifier: vec![identifier(ODS_CODE_SYSTEM, organisation.ods_code.as_str())],
            name: Some(organisation.name.clone()),
            ..Organization::default()
        };
        let mut identifiers = vec![
            identifier(SDS_USER_ID_SYSTEM, &user.sds_user_id),
            identifier(SDS_ROLE_PROFILE_SYSTEM, &user.role_profile_id),
        ];
        if let Some(local) = &user.local_user_id {
            identifiers.push(identifier(&user.local_user_id_system, local));
        }
        let requesting_practitioner = Practitioner {
            id: Some(user.id.clone()),
            identifier: identifiers,
            name: vec![HumanName {
                family: Some(user.family.clone()),
                given: user.given.clone(),
                prefix: user.prefix.clone(),
                ..HumanName::default()
            }],
            ..Practitioner::default()
        };
        Self {
            iss: system.issuer.clone(),
            sub: user.id.clone(),
            aud: audience.to_owned(),
            exp: now + LIFETIME_SECONDS,
            iat: now,
            requested_scope: interaction.scope(),
            requesting_device,
            requesting_organization,
            requesting_practitioner,
        }
    }

    /// The payload as a JSON object, claims in SPEC 2.5 order.
    pub fn to_json(&self) -> Value {
        // Plain structs with string keys always serialise; Null is never produced in practice.
        let resource = |r: Resource| serde_json::to_value(r).unwrap_or(Value::Null);
        let mut claims = Map::new();
        claims.insert("iss".into(), Value::from(self.iss.clone()));
        claims.insert("sub".into(), Value::from(self.sub.clone()));
        claims.insert("aud".into(), Value::from(self.aud.clone()));
        claims.insert("exp".into(), Value::from(self.exp));
        claims.insert("iat".into(), Value::from(self.iat));
        claims.insert("reason_for_request".into(), Value::from(REASON_FOR_REQUEST));
        claims.insert(
            "requested_scope".into(),
            Value::from(self.requested_scope.as_str()),
        );
        claims.insert(
            "requesting_device".into(),
            resource(self.requesting_device.clone().into()),
        );
        claims.insert(
            "requesting_organization".into(),
            resource(self.requesting_organization.clone().into()),
        );
        claims.insert(
            "requesting_practitioner".into(),
            resource(self.requesting_practitioner.clone().into()),
        );
        Value::Object(claims)
    }

    /// `base64url(header).base64url(payload).` with the empty signature of an unsigned token.
    pub fn token(&self) -> String {
        format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(self.to_json().to_string())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::OdsCode;
    use serde_json::json;

    fn user() -> UserConfig {
        UserConfig {
            id: "42".into(),
            sds_user_id: "G13579135".into(),
            role_profile_id: "UNK".into(),
            family: "Jones".into(),
            given: vec!["Sam".into()],
            prefix: vec!["Dr".into()],
            local_user_id: Some("98ed4f78-814d-4266-8d5b-cde742f3093c".into()),
            local_user_id_system: "https://consumer.example/Id/user-guid".into(),
        }
    }

    fn organisation() -> OrganisationConfig {
        OrganisationConfig {
            ods_code: OdsCode::parse("GPCA0001").unwrap(),
            name: "Example Hub".into(),
            telephone: None,
        }
    }

    fn system() -> SystemConfig {
        SystemConfig {
            issuer: "https://consumer.example/".into(),
            device_model: "Example Hub".into(),
            device_version: "2.1".into(),
            device_identifier_system: "https://consumer.example/Id/device".into(),
            device_identifier_value: "hub-01".into(),
        }
    }

    const AUD: &str = "https://provider.example/A20047/STU3/1/gpconnect";

    fn decode(token: &str) -> (Value, Value) {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "", "unsigned: empty signature");
        let part = |p: &str| -> Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
        };
        (part(parts[0]), part(parts[1]))
    }

    #[test]
    fn the_token_carries_exactly_the_spec_claims() {
        let claims = JwtClaims::new(
            &user(),
            &organisation(),
            &system(),
            AUD,
            Interaction::BookAppointment,
            1_800_000_000,
        );
        let (header, payload) = decode(&claims.token());
        assert_eq!(header, json!({"alg": "none", "typ": "JWT"}));
        assert_eq!(
            payload,
            json!({
                "iss": "https://consumer.example/",
                "sub": "42",
                "aud": AUD,
                "exp": 1_800_000_300,
                "iat": 1_800_000_000,
                "reason_for_request": "directcare",
                "requested_scope": "patient/*.write",
                "requesting_device": {
                    "resourceType": "Device",
                    "identifier": [{
                        "system": "https://consumer.example/Id/device",
                        "value": "hub-01"
                    }],
                    "model": "Example Hub",
                    "version": "2.1"
                },
                "requesting_organization": {
                    "resourceType": "Organization",
                    "identifier": [{
                        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                        "value": "GPCA0001"
                    }],
                    "name": "Example Hub"
                },
                "requesting_practitioner": {
                    "resourceType": "Practitioner",
                    "id": "42",
                    "identifier": [
                        { "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "G13579135" },
                        { "system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "UNK" },
                        {
                            "system": "https://consumer.example/Id/user-guid",
                            "value": "98ed4f78-814d-4266-8d5b-cde742f3093c"
                        }
                    ],
                    "name": [{ "family": "Jones", "given": ["Sam"], "prefix": ["Dr"] }]
                }
            })
        );
    }

    #[test]
    fn the_scope_follows_the_interaction() {
        for (interaction, scope) in [
            (Interaction::ReadMetadata, "organization/*.read"),
            (Interaction::SearchPatient, "patient/*.read"),
            (Interaction::RegisterPatient, "patient/*.write"),
            (Interaction::SearchSlots, "organization/*.read"),
            (Interaction::CancelAppointment, "patient/*.write"),
            (Interaction::SearchPatientAppointments, "patient/*.read"),
        ] {
            let claims = JwtClaims::new(&user(), &organisation(), &system(), AUD, interaction, 0);
            assert_eq!(decode(&claims.token()).1["requested_scope"], scope);
        }
    }

    #[test]
    fn the_embedded_resources_are_valid_strict_fhir() {
        let claims = JwtClaims::new(
            &user(),
            &organisation(),
            &system(),
            AUD,
            Interaction::ReadPatient,
            0,
        );
        let payload = claims.to_json();
        for (claim, resource_type) in [
            ("requesting_device", "Device"),
            ("requesting_organization", "Organization"),
            ("requesting_practitioner", "Practitioner"),
        ] {
            let decoded = gpconnect_fhir::json::decode_value(payload[claim].clone())
                .unwrap_or_else(|e| panic!("{claim}: {e}"));
            assert_eq!(decoded.resource_type(), resource_type);
        }
    }

    #[test]
    fn a_user_without_a_local_id_sends_only_the_sds_identifiers() {
        let mut u = user();
        u.local_user_id = None;
        let claims = JwtClaims::new(
            &u,
            &organisation(),
            &system(),
            AUD,
            Interaction::ReadPatient,
            0,
        );
        assert_eq!(claims.requesting_practitioner.identifier.len(), 2);
    }
}
