//! ATS JWT.feature, every row, on `GET /metadata`, plus the scope rules of other features.
#![allow(clippy::unwrap_used)]

mod support;

use gpconnect_domain::Interaction;
use serde_json::json;
use support::jwt::now;
use support::{metadata, JwtBuilder, TestApp};

async fn send_jwt(app: &TestApp, token: String) -> support::TestResponse {
    let request = metadata().body(Default::default()).unwrap();
    app.send(support::with_token(request, &token)).await
}

fn default() -> JwtBuilder {
    JwtBuilder::new(Interaction::ReadMetadata)
}

#[tokio::test]
async fn every_jwt_feature_row() {
    let app = TestApp::new();
    let t = now();
    let rows: Vec<(&str, String, u16)> = vec![
        ("1 not base64", default().unencoded_token(), 400),
        ("2 iss missing", default().remove("iss").token(), 400),
        ("3 exp missing", default().remove("exp").token(), 400),
        ("4 exp = iat + 301", default().times(t, t + 301).token(), 400),
        ("5 exp = iat + 299", default().times(t, t + 299).token(), 400),
        ("6 exp = iat - 1", default().times(t, t - 1).token(), 400),
        ("7 iat missing", default().remove("iat").token(), 400),
        ("8 iat in the future", default().times(t + 200, t + 500).token(), 200),
        ("9 reason missing", default().remove("reason_for_request").token(), 400),
        ("10 aud missing", default().remove("aud").token(), 400),
        ("11 device missing", default().remove("requesting_device").token(), 400),
        (
            "12 device with an unknown element",
            default()
                .set_in("requesting_device", "invalidField", json!("Assurance Testing"))
                .token(),
            422,
        ),
        (
            "13 device resourceType invalid",
            default()
                .set_in("requesting_device", "resourceType", json!("InvalidResourceType"))
                .token(),
            422,
        ),
        (
            "14 practitioner missing",
            default().remove("requesting_practitioner").token(),
            400,
        ),
        (
            "15 UNK identifiers",
            default()
                .set_in(
                    "requesting_practitioner",
                    "identifier",
                    json!([
                        { "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "UNK" },
                        { "system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "UNK" }
                    ]),
                )
                .token(),
            200,
        ),
        (
            "16 only the SDS user id",
            default()
                .set_in(
                    "requesting_practitioner",
                    "identifier",
                    json!([{ "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "GCASDS0001" }]),
                )
                .token(),
            200,
        ),
        (
            "17 practitioner resourceType invalid",
            default()
                .set_in(
                    "requesting_practitioner",
                    "resourceType",
                    json!("InvalidResourceType"),
                )
                .token(),
            422,
        ),
        ("18 scope missing", default().remove("requested_scope").token(), 400),
        (
            "19 scope badScope",
            default().set("requested_scope", json!("badScope")).token(),
            400,
        ),
        (
            "20 organisation ODS system",
            default()
                .set_in(
                    "requesting_organization",
                    "identifier",
                    json!([{
                        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                        "value": "GPCA0001"
                    }]),
                )
                .token(),
            200,
        ),
        ("21 everything normal", default().times(t, t + 300).token(), 200),
        ("22 clock slow 600 s", default().times(t - 600, t - 300).token(), 400),
    ];
    for (name, token, status) in rows {
        let response = send_jwt(&app, token).await;
        assert_eq!(
            response.status,
            status,
            "{name}: {}",
            String::from_utf8_lossy(&response.body)
        );
        match status {
            200 => assert_eq!(response.json()["resourceType"], "CapabilityStatement"),
            400 => assert_eq!(response.spine_code(), "BAD_REQUEST", "{name}"),
            _ => assert_eq!(response.spine_code(), "INVALID_RESOURCE", "{name}"),
        }
    }
}

#[tokio::test]
async fn further_spec_rules() {
    let app = TestApp::new();
    let rows: Vec<(&str, JwtBuilder, u16, &str)> = vec![
        (
            "sub is not the practitioner id",
            default().set("sub", json!("2")),
            400,
            "sub",
        ),
        ("null claim", default().set("iss", json!(null)), 400, "iss"),
        (
            "reason other than directcare",
            default().set("reason_for_request", json!("secondaryuses")),
            400,
            "directcare",
        ),
        (
            "retired requested_record",
            default().set("requested_record", json!({ "resourceType": "Patient" })),
            400,
            "requested_record",
        ),
        (
            "a Patient where a Practitioner is expected",
            default().set(
                "requesting_practitioner",
                json!({ "resourceType": "Patient", "id": "1" }),
            ),
            400,
            "Practitioner",
        ),
        (
            "exp as a string",
            default().set("exp", json!("soon")),
            400,
            "exp",
        ),
        (
            "wrong scope for the interaction",
            default().set("requested_scope", json!("patient/*.read")),
            400,
            "organization/*.read",
        ),
        (
            "aud is not compared with the service root",
            default().set("aud", json!("https://elsewhere.example/")),
            200,
            "",
        ),
    ];
    for (name, jwt, status, mention) in rows {
        let response = send_jwt(&app, jwt.token()).await;
        assert_eq!(response.status, status, "{name}");
        if status != 200 {
            assert_eq!(response.spine_code(), "BAD_REQUEST", "{name}");
            assert!(
                response.diagnostics().contains(mention),
                "{name}: {}",
                response.diagnostics()
            );
        }
    }
}

#[tokio::test]
async fn malformed_authorization_headers_are_bad_requests() {
    let app = TestApp::new();
    let token = default().token();
    for value in [
        format!("Basic {token}"),
        token.clone(),
        "Bearer".to_owned(),
        "Bearer a.b".to_owned(),
        format!("Bearer {}signature", token),
        "Bearer e30.e30.".to_owned(),
    ] {
        let mut request = metadata().body(Default::default()).unwrap();
        support::set_header(&mut request, "Authorization", Some(&value));
        let response = app.send(request).await;
        response.assert_error(400, "BAD_REQUEST");
    }
    let mut request = metadata().body(Default::default()).unwrap();
    request.headers_mut().remove("Authorization");
    let response = app.send(request).await;
    response.assert_error(400, "BAD_REQUEST");
    assert!(response.diagnostics().contains("Authorization"));
}

#[tokio::test]
async fn scopes_follow_the_interaction() {
    let app = TestApp::new();
    // ATS: register with a read scope, retrieve appointments with a write scope: 400.
    for (interaction, path, method, scope) in [
        (
            Interaction::RegisterPatient,
            "/Patient/$gpc.registerpatient",
            "POST",
            "patient/*.read",
        ),
        (
            Interaction::RegisterPatient,
            "/Patient/$gpc.registerpatient",
            "POST",
            "organization/*.read",
        ),
        (
            Interaction::SearchPatientAppointments,
            "/Patient/1/Appointment",
            "GET",
            "organization/*.write",
        ),
        (
            Interaction::SearchPatientAppointments,
            "/Patient/1/Appointment",
            "GET",
            "patient/*.write",
        ),
    ] {
        let token = JwtBuilder::new(interaction)
            .set("requested_scope", json!(scope))
            .token();
        let request = support::request(method, path, interaction)
            .header("Content-Type", "application/fhir+json")
            .body(Default::default())
            .unwrap();
        let response = app.send(support::with_token(request, &token)).await;
        response.assert_error(400, "BAD_REQUEST");
        assert!(response.diagnostics().contains("requested_scope"));
    }
}
