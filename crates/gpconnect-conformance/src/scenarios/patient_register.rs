//! PatientRegister.feature (ATS 2.2, SPEC 3.4). Every case that builds a "new patient" takes
//! its own person from the registration pool.

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};

use super::{label, Negotiation, FORMATS};
use crate::check::elements::{
    array, entries, extensions, has, identifiers, HUMAN_LANGUAGE_SYSTEM, NHS_COMMUNICATION,
    NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION, SEARCHSET_PROFILE,
};
use crate::check::{headers, outcome, patient};
use crate::context::Ctx;
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

const REGISTER_PATH: &str = "Patient/$gpc.registerpatient";

/// A change to the register body's Patient.
type Edit = fn(&mut Value);

/// The Patient inside a register body.
fn patient_of(body: &mut Value) -> &mut Value {
    &mut body["parameter"][0]["resource"]
}

fn register_call(ctx: &Ctx, body: &Value) -> Call {
    ctx.call(Interaction::RegisterPatient, REGISTER_PATH)
        .json(body)
}

/// The body for a new person from the pool, with `edit` applied to its Patient.
async fn new_body(ctx: &Ctx, edit: impl FnOnce(&mut Value)) -> Check<Value> {
    let person = ctx.new_patient().await?;
    let mut body = ctx.register_body(&person);
    edit(patient_of(&mut body));
    Ok(body)
}

/// The "success set" of ATS PatientRegister: 200, a searchset Bundle claiming the
/// Searchset-Bundle profile, exactly one Patient with metadata and id, exactly one NHS number
/// equal to the one sent with one verification extension, registration details valid, no
/// registrationStatus, and the demographics sent.
fn registered(reply: &Reply, sent: &Value, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    crate::check::elements::searchset(&bundle)?;
    ensure!(
        array(&bundle["meta"]["profile"])
            .iter()
            .any(|p| p == SEARCHSET_PROFILE),
        "the Bundle's meta.profile does not include {SEARCHSET_PROFILE}"
    );
    let patients = entries(&bundle, "Patient");
    ensure!(
        patients.len() == 1,
        "the Bundle holds {} Patients, expected one",
        patients.len()
    );
    let registered = patients[0].clone();
    crate::check::elements::id(&registered)?;
    patient::metadata(&registered, true)?;
    let sent_nhs = identifiers(sent, NHS_NUMBER_SYSTEM)
        .first()
        .map(|i| i["value"].clone())
        .unwrap_or(Value::Null);
    let numbers = identifiers(&registered, NHS_NUMBER_SYSTEM);
    ensure!(
        numbers.len() == 1 && numbers[0]["value"] == sent_nhs,
        "expected exactly one NHS number identifier {sent_nhs}"
    );
    ensure!(
        extensions(numbers[0], NHS_NUMBER_VERIFICATION).len() == 1,
        "the NHS number must carry exactly one verification status extension"
    );
    let nhs = sent_nhs.as_str().unwrap_or_default();
    patient::identifiers(&json!({ "identifier": [numbers[0].clone()] }), nhs)?;
    patient::registration_details(&registered, false, true)?;
    patient::demographics(&registered, sent)?;
    Ok(registered)
}

/// Registers a new person with `edit` applied and requires the success set.
async fn register_new(ctx: &Ctx, edit: impl FnOnce(&mut Value)) -> Check<Value> {
    let mut body = new_body(ctx, edit).await?;
    let reply = ctx.send(register_call(ctx, &body)).await?;
    let sent = patient_of(&mut body).clone();
    registered(&reply, &sent, Format::Json)
}

/// Registers a new person with `edit` applied and requires `status` with `code`.
async fn refused(ctx: &Ctx, edit: impl FnOnce(&mut Value), status: u16, code: &str) -> Check {
    let body = new_body(ctx, edit).await?;
    let reply = ctx.send(register_call(ctx, &body)).await?;
    outcome::error(&reply, Some(status), Some(code))
}

fn address(use_: &str) -> Value {
    json!({
        "use": use_,
        "line": ["1 Trevelyan Square", "Boar Lane"],
        "city": "Leeds",
        "postalCode": "LS1 6AE"
    })
}

/// The telecoms of ATS PatientRegister O24/O25.
fn telecom(kind: &str) -> Value {
    match kind {
        "Email" => json!({ "system": "email", "value": "abc.d@mail.com", "use": "temp" }),
        other => {
            json!({ "system": "phone", "value": "01234567891", "use": other.to_ascii_lowercase() })
        }
    }
}

fn nhs_communication() -> Value {
    json!({
        "url": NHS_COMMUNICATION,
        "extension": [
            { "url": "language", "valueCodeableConcept": { "coding": [{
                "system": HUMAN_LANGUAGE_SYSTEM, "code": "de", "display": "German"
            }]}},
            { "url": "interpreterRequired", "valueBoolean": true }
        ]
    })
}

fn set(patient: &mut Value, name: &str, value: Value) {
    patient[name] = value;
}

fn remove(patient: &mut Value, name: &str) {
    if let Some(object) = patient.as_object_mut() {
        object.remove(name);
    }
}

fn push(patient: &mut Value, name: &str, value: Value) {
    let mut list = array(&patient[name]).to_vec();
    list.push(value);
    patient[name] = Value::Array(list);
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::PatientRegister);
    for path in [
        "Patient/$gpc.registerpatien",
        "Patient/$gpc.registerpati#ent",
    ] {
        cases.row(
            "Register patient send request to incorrect URL",
            path,
            move |ctx| async move {
                let body = new_body(&ctx, |_| {}).await?;
                let call = ctx.call(Interaction::RegisterPatient, path).json(&body);
                outcome::error(&ctx.send(call).await?, None, None)
            },
        );
    }
    cases.scenario(
        "Register patient without sending identifier within patient",
        |ctx| async move {
            refused(&ctx, |p| remove(p, "identifier"), 400, "INVALID_NHS_NUMBER").await
        },
    );
    cases.scenario(
        "Register patient without gender element",
        |ctx| async move {
            register_new(&ctx, |p| remove(p, "gender"))
                .await
                .map(|_| ())
        },
    );
    cases.scenario(
        "Register patient without date of birth element",
        |ctx| async move { refused(&ctx, |p| remove(p, "birthDate"), 400, "BAD_REQUEST").await },
    );
    for nhs in [
        "34555##4",
        "hello",
        "999999999",
        "9000000008",
        "90000000090",
    ] {
        cases.row(
            "Register patient with an invalid NHS number",
            nhs,
            move |ctx| async move {
                refused(
                    &ctx,
                    |p| p["identifier"][0]["value"] = json!(nhs),
                    400,
                    "INVALID_NHS_NUMBER",
                )
                .await
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Register patient and use the Accept Header to request response format",
            label(format),
            move |ctx| async move {
                let negotiation = Negotiation {
                    content_type: Some(format),
                    accept: Some(format),
                    format: None,
                };
                register_negotiated(&ctx, negotiation, false).await
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Register patient and use the _format parameter to request the response format",
            label(format),
            move |ctx| async move {
                let negotiation = Negotiation {
                    content_type: Some(format),
                    accept: None,
                    format: Some(format),
                };
                register_negotiated(&ctx, negotiation, false).await
            },
        );
    }
    let rows = [
        (Format::Xml, Format::Xml, Format::Xml),
        (Format::Xml, Format::Xml, Format::Json),
        (Format::Json, Format::Json, Format::Xml),
        (Format::Xml, Format::Json, Format::Json),
        (Format::Json, Format::Xml, Format::Xml),
        (Format::Json, Format::Json, Format::Json),
        (Format::Xml, Format::Json, Format::Xml),
        (Format::Json, Format::Xml, Format::Json),
    ];
    for (content_type, accept, format) in rows {
        let negotiation = Negotiation {
            content_type: Some(content_type),
            accept: Some(accept),
            format: Some(format),
        };
        cases.row(
            "Register patient and use both the Accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { register_negotiated(&ctx, negotiation, true).await },
        );
    }
    let invalid_resources: [(&'static str, Edit); 2] = [
        ("Register patient with invalid bundle resource type", |b| {
            b["resourceType"] = json!("InvalidResourceType")
        }),
        ("Register patient with invalid patient resource type", |b| {
            patient_of(b)["resourceType"] = json!("InvalidResourceType")
        }),
    ];
    for (scenario, edit) in invalid_resources {
        cases.scenario(scenario, move |ctx| async move {
            let mut body = new_body(&ctx, |_| {}).await?;
            edit(&mut body);
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&reply, Some(422), Some("INVALID_RESOURCE"))
        });
    }
    cases.scenario(
        "Register patient with additional element",
        |ctx| async move {
            refused(
                &ctx,
                |p| set(p, "invalidField", json!("Assurance Testing")),
                422,
                "INVALID_RESOURCE",
            )
            .await
        },
    );
    cases.scenario(
        "Register patient with duplicate patient resource parameters",
        |ctx| async move {
            let mut body = new_body(&ctx, |_| {}).await?;
            let parameter = body["parameter"][0].clone();
            body["parameter"] = json!([parameter.clone(), parameter]);
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
        },
    );
    cases.scenario(
        "Register patient which already exists on the system as a normal patient",
        |ctx| async move {
            let nhs = ctx.fixture.nhs("patient1").to_owned();
            let reply = ctx.search_patient_by_nhs(&nhs).await?;
            reply
                .status(200)
                .map_err(|f| f.context("setup: finding patient1"))?;
            let bundle = reply.resource_of("Bundle")?;
            let found = entries(&bundle, "Patient")
                .first()
                .map(|p| (*p).clone())
                .ok_or_else(|| crate::verdict::Failure::new("setup: patient1 not found"))?;
            let official = array(&found["name"])
                .iter()
                .find(|n| n["use"] == "official")
                .cloned()
                .unwrap_or(Value::Null);
            let person = crate::fixture::PoolPerson {
                nhs_number: nhs,
                family: official["family"].as_str().unwrap_or_default().to_owned(),
                given: official["given"][0].as_str().unwrap_or_default().to_owned(),
                gender: found["gender"].as_str().unwrap_or("unknown").to_owned(),
                birth_date: found["birthDate"].as_str().unwrap_or_default().to_owned(),
            };
            let body = ctx.register_body(&person);
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&reply, Some(409), Some("DUPLICATE_REJECTED"))
        },
    );
    cases.scenario(
        "Register patient which already exists on the system as a temporary patient",
        |ctx| async move {
            let mut body = new_body(&ctx, |_| {}).await?;
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            let sent = patient_of(&mut body).clone();
            registered(&reply, &sent, Format::Json).map_err(|f| f.context("first registration"))?;
            let again = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&again, Some(409), Some("DUPLICATE_REJECTED"))
        },
    );
    cases.scenario(
        "Register patient which is not on the Spine",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.not_on_pds.clone();
            let person = crate::fixture::PoolPerson {
                nhs_number: ctx.fixture.nhs(&key).to_owned(),
                family: "GPConnectFamilyName".to_owned(),
                given: "GPConnectGivenName".to_owned(),
                gender: "other".to_owned(),
                birth_date: "2017-05-05".to_owned(),
            };
            let body = ctx.register_body(&person);
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&reply, Some(400), Some("INVALID_PATIENT_DEMOGRAPHICS"))
        },
    );
    cases.scenario("Register patient with no official name", |ctx| async move {
        refused(
            &ctx,
            |p| {
                let names: Vec<Value> = array(&p["name"])
                    .iter()
                    .map(|n| {
                        let mut n = n.clone();
                        n["use"] = json!("anonymous");
                        n
                    })
                    .collect();
                p["name"] = Value::Array(names);
            },
            400,
            "BAD_REQUEST",
        )
        .await
    });
    for extra in [1usize, 2, 5] {
        cases.row(
            "Register patient with multiple given names",
            format!("{extra} extra"),
            move |ctx| async move {
                register_new(&ctx, |p| {
                    for n in 1..=extra {
                        push(&mut p["name"][0], "given", json!(format!("GivenName-{n}")));
                    }
                })
                .await
                .map(|_| ())
            },
        );
    }
    cases.scenario("Register patient with no family names", |ctx| async move {
        refused(
            &ctx,
            |p| remove(&mut p["name"][0], "family"),
            400,
            "BAD_REQUEST",
        )
        .await
    });
    cases.scenario(
        "Register patient with an identifier without the mandatory system element",
        |ctx| async move {
            refused(
                &ctx,
                |p| push(p, "identifier", json!({ "value": "NewIdentifierNoSystem" })),
                400,
                "BAD_REQUEST",
            )
            .await
        },
    );
    let valid_additions: [(&'static str, Edit); 3] = [
        ("Address", |p| push(p, "address", address("temp"))),
        ("Name", |p| {
            push(
                p,
                "name",
                json!({ "use": "nickname", "family": "Nickname", "given": ["Nick"] }),
            )
        }),
        ("Telecom", |p| push(p, "telecom", telecom("Home"))),
    ];
    for (row, edit) in valid_additions {
        cases.row(
            "Register patient with additional valid elements",
            row,
            move |ctx| async move { register_new(&ctx, edit).await.map(|_| ()) },
        );
    }
    let invalid_additions: [(&'static str, Edit); 6] = [
        ("active", |p| set(p, "active", json!(true))),
        ("multipleBirthBoolean", |p| {
            set(p, "multipleBirthBoolean", json!(true))
        }),
        ("generalPractitioner", |p| {
            set(
                p,
                "generalPractitioner",
                json!([{ "display": "Test Practitioner" }]),
            )
        }),
        ("contact", |p| {
            set(
                p,
                "contact",
                json!([{
                    "relationship": [{ "text": "Next of kin" }],
                    "name": { "use": "official", "family": "Contact", "given": ["Next"] }
                }]),
            )
        }),
        ("managingOrganization", |p| {
            set(
                p,
                "managingOrganization",
                json!({ "display": "Test Organization" }),
            )
        }),
        ("maritalStatus", |p| {
            set(
                p,
                "maritalStatus",
                json!({ "coding": [{
                    "system": "http://hl7.org/fhir/v3/MaritalStatus", "code": "M", "display": "Married"
                }]}),
            )
        }),
    ];
    for (row, edit) in invalid_additions {
        cases.row(
            "Register patient with invalid additional valid elements",
            row,
            move |ctx| async move { refused(&ctx, edit, 422, "INVALID_RESOURCE").await },
        );
    }
    cases.scenario(
        "Register patient with Address and Telecom",
        |ctx| async move {
            register_new(&ctx, |p| {
                push(p, "address", address("temp"));
                push(p, "telecom", telecom("Home"));
            })
            .await
            .map(|_| ())
        },
    );
    cases.scenario(
        "Register patient with Multiple Address not allowed and Telecom",
        |ctx| async move {
            refused(
                &ctx,
                |p| {
                    push(p, "address", address("temp"));
                    push(p, "address", address("temp"));
                    push(p, "telecom", telecom("Home"));
                },
                422,
                "INVALID_RESOURCE",
            )
            .await
        },
    );
    let kinds = ["Home", "Work", "Mobile", "Temp", "Email"];
    for first in kinds {
        for second in kinds.into_iter().filter(|k| *k != first) {
            cases.row(
                "Register patient with Address and Valid Telecom elements",
                format!("{first},{second}"),
                move |ctx| async move {
                    register_new(&ctx, |p| {
                        push(p, "address", address("temp"));
                        push(p, "telecom", telecom(first));
                        push(p, "telecom", telecom(second));
                    })
                    .await
                    .map(|_| ())
                },
            );
        }
    }
    for kind in kinds {
        cases.row(
            "Register patient with Address and Invalid Telecom elements",
            format!("{kind},{kind}"),
            move |ctx| async move {
                refused(
                    &ctx,
                    |p| {
                        push(p, "address", address("temp"));
                        push(p, "telecom", telecom(kind));
                        push(p, "telecom", telecom(kind));
                    },
                    400,
                    "BAD_REQUEST",
                )
                .await
            },
        );
    }
    cases.scenario(
        "Register patient with Address Telecom and nhsCommunication",
        |ctx| async move {
            let registered = register_new(&ctx, |p| {
                push(p, "address", address("temp"));
                push(p, "telecom", telecom("Home"));
                push(p, "extension", nhs_communication());
            })
            .await?;
            patient::optional_elements(&registered)?;
            ensure!(
                extensions(&registered, NHS_COMMUNICATION).len() == 1,
                "the registered Patient must carry exactly one NHSCommunication extension"
            );
            Ok(())
        },
    );
    cases.scenario(
        "Register patient with multiple nhsCommunication",
        |ctx| async move {
            refused(
                &ctx,
                |p| {
                    push(p, "extension", nhs_communication());
                    push(p, "extension", nhs_communication());
                },
                422,
                "INVALID_RESOURCE",
            )
            .await
        },
    );
    let not_allowed: [(&'static str, Edit); 4] = [
        ("animal", |p| {
            set(p, "animal", json!({ "species": { "text": "Dog" } }))
        }),
        ("communication", |p| {
            set(
                p,
                "communication",
                json!([{ "language": { "coding": [{
                    "system": HUMAN_LANGUAGE_SYSTEM, "code": "de", "display": "German"
                }]}}]),
            )
        }),
        ("photo", |p| {
            set(
                p,
                "photo",
                json!([{ "contentType": "image/png", "url": "https://example.org/photo.png" }]),
            )
        }),
        ("deceased", |p| {
            set(p, "deceasedDateTime", json!("2018-01-01T10:00:00+00:00"))
        }),
    ];
    for (row, edit) in not_allowed {
        cases.row(
            "Register patient with additional not allowed elements",
            row,
            move |ctx| async move { refused(&ctx, edit, 422, "INVALID_RESOURCE").await },
        );
    }
    for scope in ["patient/*.read", "organization/*.read"] {
        cases.row(
            "Register patient setting JWT request type to invalid type",
            scope,
            move |ctx| async move {
                let body = new_body(&ctx, |_| {}).await?;
                let reply = ctx.send(register_call(&ctx, &body).scope(scope)).await?;
                outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
            },
        );
    }
    cases.scenario(
        "Register patient invalid response check caching headers exist",
        |ctx| async move {
            let body = new_body(&ctx, |p| remove(p, "identifier")).await?;
            let reply = ctx.send(register_call(&ctx, &body)).await?;
            outcome::error(&reply, Some(400), Some("INVALID_NHS_NUMBER"))?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Register patient and check preferred branch",
        |ctx| async move {
            let registered = register_new(&ctx, |_| {}).await?;
            patient::preferred_branch(&ctx, &registered).await
        },
    );
    cases.scenario(
        "Register patient with family name not matching PDS",
        |ctx| async move { refused(&ctx, |p| remove(p, "name"), 400, "BAD_REQUEST").await },
    );
    type Role = fn(&Ctx) -> String;
    let flagged: [(&'static str, Role, &'static str); 3] = [
        (
            "Register deceased patient",
            |ctx| ctx.fixture.patient_roles.deceased.clone(),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        (
            "Register sensitive patient",
            |ctx| ctx.fixture.patient_roles.sensitive.clone(),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        (
            "Register superseded patient",
            |ctx| ctx.fixture.patient_roles.superseded.clone(),
            "INVALID_NHS_NUMBER",
        ),
    ];
    for (scenario, key, code) in flagged {
        cases.scenario(scenario, move |ctx| async move {
            let nhs = ctx.fixture.nhs(&key(&ctx)).to_owned();
            refused(
                &ctx,
                |p| p["identifier"][0]["value"] = json!(nhs),
                400,
                code,
            )
            .await
        });
    }
    for (first, second) in [("home", "temp"), ("temp", "home")] {
        cases.row(
            "Register patient with Multiple Address Use types",
            format!("{first},{second}"),
            move |ctx| async move {
                register_new(&ctx, |p| {
                    push(p, "address", address(first));
                    push(p, "address", address(second));
                })
                .await
                .map(|_| ())
            },
        );
    }
    let invalid_pairs = [
        ("home", "work"),
        ("home", "home"),
        ("home", "old"),
        ("old", "work"),
        ("old", "old"),
        ("old", "temp"),
        ("temp", "work"),
        ("temp", "temp"),
        ("temp", "old"),
    ];
    for (first, second) in invalid_pairs {
        cases.row(
            "Register patient with Invalid Multiple Address Use types",
            format!("{first},{second}"),
            move |ctx| async move {
                refused(
                    &ctx,
                    |p| {
                        push(p, "address", address(first));
                        push(p, "address", address(second));
                    },
                    422,
                    "INVALID_RESOURCE",
                )
                .await
            },
        );
    }
    for use_ in ["work", "old"] {
        cases.row(
            "Register patient with Invalid Address Use type",
            use_,
            move |ctx| async move {
                refused(
                    &ctx,
                    |p| push(p, "address", address(use_)),
                    422,
                    "INVALID_RESOURCE",
                )
                .await
            },
        );
    }
    cases
}

/// Registers a new person negotiating with `negotiation` (the body in its Content-Type's
/// format); with `extra_identifier`, the Patient also carries a generic identifier and the
/// optional elements are checked (ATS PatientRegister O6–O8).
async fn register_negotiated(ctx: &Ctx, negotiation: Negotiation, extra_identifier: bool) -> Check {
    let mut body = new_body(ctx, |p| {
        if extra_identifier {
            push(
                p,
                "identifier",
                json!({ "system": "GenericIdentifierSystem", "value": "GenericIdentifierValue" }),
            );
        }
    })
    .await?;
    let call = negotiation.apply(register_call(ctx, &body));
    let reply = ctx.send(call).await?;
    let sent = patient_of(&mut body).clone();
    let registered = registered(&reply, &sent, negotiation.expected())?;
    headers::no_store(&reply)?;
    if extra_identifier {
        patient::optional_elements(&registered)?;
        ensure!(
            !has(&registered, "link"),
            "the registered Patient carries link"
        );
    }
    Ok(())
}
