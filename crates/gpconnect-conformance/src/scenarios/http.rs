//! Http.feature (ATS 2.1): unknown endpoints, unsupported verbs and wrong case all fail with
//! an OperationOutcome (SPEC 2.2).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use reqwest::Method;

use crate::check::outcome;
use crate::runner::Cases;
use crate::Feature;

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::Http);
    let table: [(&'static str, Method, &'static str); 7] = [
        ("Http GET from invalid endpoint", Method::GET, "metadatas"),
        ("Http POST to invalid endpoint", Method::POST, "metadatas"),
        ("Http PUT to invalid endpoint", Method::PUT, "metadatas"),
        ("Http PATCH to valid endpoint", Method::PATCH, "metadata"),
        ("Http DELETE to valid endpoint", Method::DELETE, "metadata"),
        (
            "Http OPTIONS to valid endpoint",
            Method::OPTIONS,
            "metadata",
        ),
        (
            "Http incorrect case on url fhir resource",
            Method::GET,
            "Metadata",
        ),
    ];
    for (scenario, method, path) in table {
        cases.scenario(scenario, move |ctx| async move {
            let put = method == Method::PUT;
            let reply = ctx
                .send(ctx.call_with(Interaction::ReadMetadata, method, path))
                .await?;
            if put {
                // ATS Http 3 also requires the answer in FHIR JSON.
                reply.expect_format(Format::Json)?;
            }
            outcome::error(&reply, None, None)
        });
    }
    cases
}
