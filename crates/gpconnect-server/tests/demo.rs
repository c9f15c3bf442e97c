//! The whole provider on the demo database: the pipeline with the real store.
#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use gpconnect_domain::{Interaction, OdsCode};
use support::{metadata, request, DemoApp, ODS};

#[tokio::test]
async fn the_demo_practice_answers_and_its_switches_are_honoured() {
    let app = DemoApp::start().await;
    let response = app.send(metadata().body(Body::empty()).unwrap()).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["resourceType"], "CapabilityStatement");

    // SPEC 2.13: switching GP Connect off at the practice denies everything but metadata.
    let ods = OdsCode::parse(ODS).unwrap();
    app.store
        .set_practice_enablement(&ods, false, false)
        .await
        .unwrap();
    let denied = app
        .send(
            request("GET", "/Organization/1", Interaction::ReadOrganization)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    denied.assert_error(403, "ACCESS_DENIED");
    let response = app.send(metadata().body(Body::empty()).unwrap()).await;
    assert_eq!(response.status, 200);

    // Rejections are audited in the database too.
    app.state.audit().flush().await;
    let events = app.store.audit_events(Some(&ods), 10).await.unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[1].spine_code.as_deref(), Some("ACCESS_DENIED"));
}
