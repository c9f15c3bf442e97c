//! Property tests: generated resources survive JSON → XML → JSON and XML → XML unchanged,
//! lenient decoding reads every valid document as strict decoding does (and ignores unknown
//! content added anywhere), and no byte sequence (random or a corrupted valid document) makes
//! either decoder panic.

use gpconnect_fhir::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use quick_xml::events::Event;
use serde_json::{json, Number, Value};

// ---- primitives -------------------------------------------------------------------------

/// Free text, including characters both formats must escape and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 &<>\"'\n\r\t\u{e9}\u{2014}\u{1F600}]{1,16}"
}

fn code() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,10}"
}

fn fhir_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9.-]{1,24}"
}

fn uri() -> impl Strategy<Value = String> {
    "https://[a-z]{1,8}\\.nhs\\.uk/[A-Za-z0-9/-]{0,12}"
}

fn date_time() -> impl Strategy<Value = String> {
    (
        2000u32..2030,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        prop::bool::ANY,
    )
        .prop_map(|(y, mo, d, h, mi, bst)| {
            format!(
                "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{}",
                if bst { "+01:00" } else { "+00:00" }
            )
        })
}

/// A `date` at any of its precisions: `yyyy`, `yyyy-mm`, `yyyy-mm-dd`.
fn date() -> impl Strategy<Value = String> {
    (1900u32..2030, 1u32..13, 1u32..29, 0u8..3).prop_map(|(y, m, d, precision)| match precision {
        0 => format!("{y}"),
        1 => format!("{y}-{m:02}"),
        _ => format!("{y}-{m:02}-{d:02}"),
    })
}

fn decimal() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i32>().prop_map(Number::from),
        (any::<i32>(), 1u32..6).prop_map(|(n, scale)| {
            Number::from_f64(f64::from(n) / 10f64.powi(scale as i32)).expect("finite")
        }),
    ]
}

fn some_of<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    option::of(s)
}

// ---- datatypes --------------------------------------------------------------------------

fn coding() -> impl Strategy<Value = Coding> {
    (
        uri(),
        code(),
        some_of(text()),
        some_of(text()),
        some_of(any::<bool>()),
    )
        .prop_map(|(system, code, version, display, user_selected)| Coding {
            system: Some(system),
            version,
            code: Some(code),
            display,
            user_selected,
            ..Default::default()
        })
}

fn codeable_concept() -> impl Strategy<Value = CodeableConcept> {
    (vec(coding(), 0..3), some_of(text())).prop_map(|(coding, text)| {
        let text = if coding.is_empty() && text.is_none() {
            Some("text".to_owned())
        } else {
            text
        };
        CodeableConcept {
            coding,
            text,
            ..Default::default()
        }
    })
}

fn period() -> impl Strategy<Value = Period> {
    (date_time(), some_of(date_time())).prop_map(|(start, end)| Period {
        start: Some(start),
        end,
        ..Default::default()
    })
}

fn identifier() -> impl Strategy<Value = Identifier> {
    (uri(), text(), some_of(code()), some_of(period())).prop_map(
        |(system, value, r#use, period)| Identifier {
            r#use,
            system: Some(system),
            value: Some(value),
            period,
            ..Default::default()
        },
    )
}

fn reference() -> impl Strategy<Value = Reference> {
    (
        "(Patient|Practitioner|Location|Schedule|Slot)/[0-9]{1,4}",
        some_of(text()),
        some_of(identifier()),
    )
        .prop_map(|(reference, display, identifier)| Reference {
            reference: Some(reference),
            identifier: identifier.map(Box::new),
            display,
            ..Default::default()
        })
}

fn human_name() -> impl Strategy<Value = HumanName> {
    (
        some_of(code()),
        text(),
        vec(text(), 0..3),
        vec(text(), 0..2),
        some_of(fhir_id()),
    )
        .prop_map(|(r#use, family, given, prefix, id)| HumanName {
            id,
            r#use,
            family: Some(family),
            given,
            prefix,
            ..Default::default()
        })
}

fn contact_point() -> impl Strategy<Value = ContactPoint> {
    (code(), text(), some_of(code()), some_of(1i64..100)).prop_map(
        |(system, value, r#use, rank)| ContactPoint {
            system: Some(system),
            value: Some(value),
            r#use,
            rank,
            ..Default::default()
        },
    )
}

fn address() -> impl Strategy<Value = Address> {
    (
        vec(text(), 1..4),
        some_of(text()),
        some_of(text()),
        some_of(code()),
    )
        .prop_map(|(line, city, postal_code, r#use)| Address {
            r#use,
            line,
            city,
            postal_code,
            ..Default::default()
        })
}

fn meta() -> impl Strategy<Value = Meta> {
    (fhir_id(), vec(uri(), 0..2), some_of(date_time())).prop_map(
        |(version_id, profile, last_updated)| Meta {
            version_id: Some(version_id),
            last_updated,
            profile,
            ..Default::default()
        },
    )
}

fn narrative() -> impl Strategy<Value = Narrative> {
    text().prop_map(|t| {
        let escaped = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        Narrative {
            status: "generated".into(),
            div: format!(
                r#"<div xmlns="http://www.w3.org/1999/xhtml"><p class="x">{escaped}</p><br/></div>"#
            ),
            ..Default::default()
        }
    })
}

/// An extension with one value of a randomly chosen type.
fn value_extension() -> impl Strategy<Value = Extension> {
    let base = |url: String| Extension {
        url,
        ..Default::default()
    };
    (
        uri(),
        0u8..11,
        text(),
        code(),
        any::<bool>(),
        any::<i32>(),
        decimal(),
        date_time(),
        coding(),
        codeable_concept(),
        reference(),
        period(),
    )
        .prop_map(
            move |(url, pick, text, code, flag, int, dec, dt, coding, cc, reference, period)| {
                let mut e = base(url);
                match pick {
                    0 => e.value_string = Some(text),
                    1 => e.value_code = Some(code),
                    2 => e.value_boolean = Some(flag),
                    3 => e.value_integer = Some(i64::from(int)),
                    4 => e.value_decimal = Some(dec),
                    5 => e.value_date_time = Some(dt),
                    6 => e.value_coding = Some(Box::new(coding)),
                    7 => e.value_codeable_concept = Some(Box::new(cc)),
                    8 => e.value_reference = Some(Box::new(reference)),
                    9 => e.value_period = Some(Box::new(period)),
                    _ => e.value_uri = Some(text.replace(char::is_whitespace, "-")),
                }
                e
            },
        )
}

/// Either a valued extension or a complex one holding valued sub-extensions.
fn extension() -> impl Strategy<Value = Extension> {
    prop_oneof![
        value_extension(),
        (uri(), vec(value_extension(), 1..3), some_of(fhir_id())).prop_map(
            |(url, extension, id)| Extension {
                id,
                url,
                extension,
                ..Default::default()
            }
        ),
    ]
}

// ---- resources --------------------------------------------------------------------------

fn slot() -> impl Strategy<Value = Slot> {
    (
        (
            some_of(fhir_id()),
            some_of(meta()),
            vec(extension(), 0..2),
            vec(identifier(), 0..2),
        ),
        (
            vec(codeable_concept(), 0..2),
            reference(),
            code(),
            date_time(),
            date_time(),
            some_of(any::<bool>()),
            some_of(text()),
        ),
    )
        .prop_map(
            |(
                (id, meta, extension, identifier),
                (service_type, schedule, status, start, end, overbooked, comment),
            )| Slot {
                id,
                meta,
                extension,
                identifier,
                service_type,
                schedule,
                status,
                start,
                end,
                overbooked,
                comment,
                ..Default::default()
            },
        )
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (
        (
            some_of(fhir_id()),
            some_of(meta()),
            vec(extension(), 0..2),
            some_of(any::<bool>()),
        ),
        (
            some_of(codeable_concept()),
            vec(reference(), 1..3),
            some_of(period()),
            some_of(text()),
        ),
    )
        .prop_map(
            |(
                (id, meta, extension, active),
                (service_category, actor, planning_horizon, comment),
            )| Schedule {
                id,
                meta,
                extension,
                active,
                service_category,
                actor,
                planning_horizon,
                comment,
                ..Default::default()
            },
        )
}

fn participant() -> impl Strategy<Value = AppointmentParticipant> {
    (
        vec(codeable_concept(), 0..2),
        some_of(reference()),
        some_of(code()),
        code(),
    )
        .prop_map(|(r#type, actor, required, status)| AppointmentParticipant {
            r#type,
            actor,
            required,
            status,
            ..Default::default()
        })
}

fn appointment() -> impl Strategy<Value = Appointment> {
    (
        (
            some_of(fhir_id()),
            some_of(meta()),
            some_of(narrative()),
            vec(extension(), 0..3),
            vec(identifier(), 0..2),
        ),
        (
            code(),
            some_of(codeable_concept()),
            vec(codeable_concept(), 0..2),
            some_of(0i64..10),
            some_of(text()),
        ),
        (
            some_of(date_time()),
            some_of(date_time()),
            some_of(1i64..600),
            vec(reference(), 0..3),
            some_of(date_time()),
            some_of(text()),
        ),
        (vec(participant(), 1..4), vec(period(), 0..2)),
    )
        .prop_map(
            |(
                (id, meta, text, extension, identifier),
                (status, service_category, reason, priority, description),
                (start, end, minutes_duration, slot, created, comment),
                (participant, requested_period),
            )| Appointment {
                id,
                meta,
                text,
                extension,
                identifier,
                status,
                service_category,
                reason,
                priority,
                description,
                start,
                end,
                minutes_duration,
                slot,
                created,
                comment,
                participant,
                requested_period,
                ..Default::default()
            },
        )
}

fn practitioner() -> impl Strategy<Value = Practitioner> {
    (
        some_of(fhir_id()),
        vec(identifier(), 0..2),
        vec(human_name(), 1..2),
        some_of(code()),
    )
        .prop_map(|(id, identifier, name, gender)| Practitioner {
            id,
            identifier,
            name,
            gender,
            ..Default::default()
        })
}

fn patient() -> impl Strategy<Value = Patient> {
    let contact = (
        vec(codeable_concept(), 0..2),
        some_of(human_name()),
        vec(contact_point(), 0..2),
    )
        .prop_map(|(relationship, name, telecom)| {
            let name = if relationship.is_empty() && telecom.is_empty() && name.is_none() {
                Some(HumanName {
                    family: Some("Contact".into()),
                    ..Default::default()
                })
            } else {
                name
            };
            PatientContact {
                relationship,
                name,
                telecom,
                ..Default::default()
            }
        });
    let communication =
        (codeable_concept(), some_of(any::<bool>())).prop_map(|(language, preferred)| {
            PatientCommunication {
                language,
                preferred,
                ..Default::default()
            }
        });
    (
        (
            some_of(fhir_id()),
            some_of(meta()),
            some_of(narrative()),
            vec(practitioner(), 0..2),
            vec(extension(), 0..3),
        ),
        (
            vec(identifier(), 0..3),
            some_of(any::<bool>()),
            vec(human_name(), 0..3),
            vec(contact_point(), 0..3),
            some_of(code()),
        ),
        (
            some_of(date()),
            0u8..3,
            vec(address(), 0..2),
            some_of(codeable_concept()),
            0u8..3,
            any::<i32>(),
        ),
        (
            vec(contact, 0..2),
            vec(communication, 0..2),
            vec(reference(), 0..2),
            some_of(reference()),
        ),
    )
        .prop_map(
            |(
                (id, meta, text, contained, extension),
                (identifier, active, name, telecom, gender),
                (birth_date, deceased, address, marital_status, multiple_birth, births),
                (contact, communication, general_practitioner, managing_organization),
            )| Patient {
                id,
                meta,
                text,
                contained: contained.into_iter().map(Resource::from).collect(),
                extension,
                identifier,
                active,
                name,
                telecom,
                gender,
                birth_date: birth_date.clone(),
                deceased_boolean: (deceased == 1).then_some(true),
                deceased_date_time: (deceased == 2).then(|| "2020-01-01T00:00:00+00:00".to_owned()),
                address,
                marital_status,
                multiple_birth_boolean: (multiple_birth == 1).then_some(false),
                multiple_birth_integer: (multiple_birth == 2).then_some(i64::from(births)),
                contact,
                communication,
                general_practitioner,
                managing_organization,
                ..Default::default()
            },
        )
}

fn operation_outcome() -> impl Strategy<Value = OperationOutcome> {
    let issue = (
        code(),
        code(),
        some_of(codeable_concept()),
        some_of(text()),
        vec(text(), 0..2),
    )
        .prop_map(
            |(severity, code, details, diagnostics, expression)| OperationOutcomeIssue {
                severity,
                code,
                details,
                diagnostics,
                expression,
                ..Default::default()
            },
        );
    (some_of(meta()), vec(issue, 1..3)).prop_map(|(meta, issue)| OperationOutcome {
        meta,
        issue,
        ..Default::default()
    })
}

fn resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        slot().prop_map(Resource::from),
        schedule().prop_map(Resource::from),
        appointment().prop_map(Resource::from),
        patient().prop_map(Resource::from),
        practitioner().prop_map(Resource::from),
        operation_outcome().prop_map(Resource::from),
    ]
}

fn bundle() -> impl Strategy<Value = Bundle> {
    let entry = (
        some_of(uri()),
        resource(),
        some_of(code()),
        some_of(decimal()),
    )
        .prop_map(|(full_url, resource, mode, score)| BundleEntry {
            full_url,
            resource: Some(resource),
            search: (mode.is_some() || score.is_some()).then(|| BundleEntrySearch {
                mode,
                score,
                ..Default::default()
            }),
            ..Default::default()
        });
    let link = (code(), uri()).prop_map(|(relation, url)| BundleLink {
        relation,
        url,
        ..Default::default()
    });
    (
        some_of(fhir_id()),
        some_of(meta()),
        code(),
        some_of(0i64..1000),
        vec(link, 0..2),
        vec(entry, 0..6),
    )
        .prop_map(|(id, meta, r#type, total, link, entry)| Bundle {
            id,
            meta,
            r#type,
            total,
            link,
            entry,
            ..Default::default()
        })
}

// ---- properties -------------------------------------------------------------------------

fn assert_round_trips(resource: &Resource) {
    let json = encode(resource, Format::Json).expect("JSON encodes");
    let from_json = decode(&json, Format::Json)
        .unwrap_or_else(|e| panic!("JSON refused: {e}\n{}", String::from_utf8_lossy(&json)));
    assert_eq!(&from_json, resource);
    let xml = encode(&from_json, Format::Xml).expect("XML encodes");
    let from_xml = decode(&xml, Format::Xml)
        .unwrap_or_else(|e| panic!("XML refused: {e}\n{}", String::from_utf8_lossy(&xml)));
    assert_eq!(&from_xml, resource);
    assert_eq!(encode(&from_xml, Format::Json).expect("JSON encodes"), json);
    assert_eq!(encode(&from_xml, Format::Xml).expect("XML encodes"), xml);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn appointments_round_trip(a in appointment()) {
        assert_round_trips(&a.into());
    }

    #[test]
    fn slots_round_trip(s in slot()) {
        assert_round_trips(&s.into());
    }

    #[test]
    fn schedules_round_trip(s in schedule()) {
        assert_round_trips(&s.into());
    }

    #[test]
    fn patients_round_trip(p in patient()) {
        assert_round_trips(&p.into());
    }

    #[test]
    fn operation_outcomes_round_trip(o in operation_outcome()) {
        assert_round_trips(&o.into());
    }

    #[test]
    fn bundles_of_mixed_resources_round_trip(b in bundle()) {
        assert_round_trips(&b.into());
    }
}

/// A FHIR JSON document with unknown content added everywhere: an unknown element in every
/// object, an id on every single primitive string (`_name`), and an extension of a type the model
/// does not know in every `extension` list.
fn with_unknown_json(bytes: &[u8]) -> Vec<u8> {
    fn add(value: &mut Value) {
        match value {
            Value::Object(object) => {
                object.values_mut().for_each(add);
                let strings: Vec<String> = object
                    .iter()
                    .filter(|(k, v)| v.is_string() && *k != "resourceType")
                    .map(|(k, _)| format!("_{k}"))
                    .collect();
                for key in strings {
                    object.insert(key, json!({ "id": "vendor-id" }));
                }
                if let Some(Value::Array(extensions)) = object.get_mut("extension") {
                    extensions.push(json!({
                        "url": "https://example.org/unknown-duration",
                        "valueDuration": { "value": 5 }
                    }));
                }
                object.insert("vendorExtra".into(), json!({ "a": [1, { "b": null }] }));
            }
            Value::Array(items) => items.iter_mut().for_each(add),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_slice(bytes).expect("JSON");
    add(&mut value);
    serde_json::to_vec(&value).expect("JSON")
}

/// A FHIR XML document with unknown content added to every FHIR element that has children: a
/// vendor element in a foreign namespace and an unknown FHIR element. The narrative XHTML and
/// the resource wrappers (`contained`, `resource`) are left alone.
fn with_unknown_xml(bytes: &[u8]) -> Vec<u8> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let mut in_xhtml = 0usize;
    loop {
        let event = reader.read_event().expect("XML");
        match &event {
            Event::Eof => break,
            Event::Start(start) => {
                let name = start.local_name();
                let wrapper = matches!(name.as_ref(), b"contained" | b"resource");
                if in_xhtml > 0 || name.as_ref() == b"div" {
                    in_xhtml += 1;
                }
                writer.write_event(event.borrow()).expect("written");
                if in_xhtml == 0 && !wrapper {
                    writer.get_mut().extend_from_slice(
                        br#"<v:extra xmlns:v="urn:example:vendor" v:a="1">text &amp; <v:x/></v:extra><unknownElement value="1"/>"#,
                    );
                }
                continue;
            }
            Event::End(_) => in_xhtml = in_xhtml.saturating_sub(1),
            _ => {}
        }
        writer.write_event(event.borrow()).expect("written");
    }
    writer.into_inner()
}

/// Strict and lenient decoding agree on a valid document; with unknown content added, strict
/// decoding refuses it and lenient decoding still gives the same resource.
fn assert_lenient_agrees(resource: &Resource) -> Result<(), TestCaseError> {
    for format in [Format::Json, Format::Xml] {
        let bytes = encode(resource, format).expect("encodes");
        let strict = decode(&bytes, format).expect("valid");
        let lenient = decode_with(&bytes, format, DecodeOptions::LENIENT).expect("valid");
        prop_assert_eq!(&lenient, &strict);
        let noisy = match format {
            Format::Json => with_unknown_json(&bytes),
            Format::Xml => with_unknown_xml(&bytes),
        };
        prop_assert!(decode(&noisy, format).is_err());
        let read = decode_with(&noisy, format, DecodeOptions::LENIENT).map_err(|e| {
            TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&noisy)))
        })?;
        prop_assert_eq!(&read, &strict);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lenient_decoding_reads_bundles_as_strict_decoding(b in bundle()) {
        assert_lenient_agrees(&b.into())?;
    }

    #[test]
    fn lenient_decoding_reads_patients_as_strict_decoding(p in patient()) {
        assert_lenient_agrees(&p.into())?;
    }

    #[test]
    fn lenient_decoding_reads_appointments_as_strict_decoding(a in appointment()) {
        assert_lenient_agrees(&a.into())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..512)) {
        for format in [Format::Json, Format::Xml] {
            let _ = decode(&bytes, format);
            let _ = decode_with(&bytes, format, DecodeOptions::LENIENT);
        }
    }

    #[test]
    fn corrupted_documents_never_panic(
        b in bundle(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let resource = Resource::from(b);
        for format in [Format::Json, Format::Xml] {
            let mut bytes = encode(&resource, format).expect("encodes");
            for (at, byte, op) in &edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = *byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.insert(i, *byte),
                }
            }
            let _ = decode(&bytes, format);
            let _ = decode_with(&bytes, format, DecodeOptions::LENIENT);
        }
    }
}
