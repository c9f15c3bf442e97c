//! Encoding and decoding a slot-search response (SPEC 3.10): a searchset Bundle of 100 Slots,
//! 10 Schedules, 5 Practitioners, 3 Locations and 1 Organization, in JSON and XML.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gpconnect_fhir::*;

const PROFILE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/";

fn meta(version: usize, profile: &str) -> Option<Meta> {
    Some(Meta {
        version_id: Some(format!("{}", 1_469_444_400_000usize + version)),
        profile: vec![format!("{PROFILE}{profile}")],
        ..Default::default()
    })
}

fn reference(to: String) -> Reference {
    Reference {
        reference: Some(to),
        ..Default::default()
    }
}

fn coding(system: &str, code: &str, display: &str) -> Coding {
    Coding {
        system: Some(system.into()),
        code: Some(code.into()),
        display: Some(display.into()),
        ..Default::default()
    }
}

fn entry(resource: impl Into<Resource>, url: String) -> BundleEntry {
    BundleEntry {
        full_url: Some(url),
        resource: Some(resource.into()),
        ..Default::default()
    }
}

fn search_bundle() -> Resource {
    let base = "https://provider.nhs.uk/A00001/STU3/1/gpconnect";
    let mut entries = Vec::new();
    for i in 0..100 {
        let slot = Slot {
            id: Some(format!("{}", 1000 + i)),
            meta: meta(i, "GPConnect-Slot-1"),
            extension: vec![Extension {
                url: format!("{PROFILE}Extension-GPConnect-DeliveryChannel-2"),
                value_code: Some("In-person".into()),
                ..Default::default()
            }],
            service_type: vec![CodeableConcept {
                text: Some("GP Appointment".into()),
                ..Default::default()
            }],
            schedule: reference(format!("Schedule/{}", i % 10)),
            status: "free".into(),
            start: format!(
                "2017-09-{:02}T{:02}:{:02}:00+01:00",
                15 + i / 40,
                9 + (i % 40) / 6,
                (i % 6) * 10
            ),
            end: format!(
                "2017-09-{:02}T{:02}:{:02}:00+01:00",
                15 + i / 40,
                9 + (i % 40) / 6,
                (i % 6) * 10 + 9
            ),
            ..Default::default()
        };
        entries.push(entry(slot, format!("{base}/Slot/{}", 1000 + i)));
    }
    for i in 0..10 {
        let schedule = Schedule {
            id: Some(i.to_string()),
            meta: meta(i, "GPConnect-Schedule-1"),
            extension: vec![Extension {
                url: format!("{PROFILE}Extension-GPConnect-PractitionerRole-1"),
                value_codeable_concept: Some(Box::new(CodeableConcept {
                    coding: vec![coding(
                        "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
                        "R0260",
                        "General Medical Practitioner",
                    )],
                    ..Default::default()
                })),
                ..Default::default()
            }],
            service_category: Some(CodeableConcept {
                text: Some("General GP Appointments".into()),
                ..Default::default()
            }),
            actor: vec![
                reference(format!("Location/{}", i % 3)),
                reference(format!("Practitioner/{}", i % 5)),
            ],
            planning_horizon: Some(Period {
                start: Some("2017-09-15T09:00:00+01:00".into()),
                end: Some("2017-09-17T18:00:00+01:00".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        entries.push(entry(schedule, format!("{base}/Schedule/{i}")));
    }
    for i in 0..5 {
        let practitioner = Practitioner {
            id: Some(i.to_string()),
            meta: meta(i, "CareConnect-GPC-Practitioner-1"),
            identifier: vec![Identifier {
                system: Some("https://fhir.nhs.uk/Id/sds-user-id".into()),
                value: Some(format!("11112222333{i}")),
                ..Default::default()
            }],
            name: vec![HumanName {
                family: Some("Black".into()),
                given: vec!["Sarah".into()],
                prefix: vec!["Dr".into()],
                ..Default::default()
            }],
            gender: Some("female".into()),
            ..Default::default()
        };
        entries.push(entry(practitioner, format!("{base}/Practitioner/{i}")));
    }
    for i in 0..3 {
        let location = Location {
            id: Some(i.to_string()),
            meta: meta(i, "CareConnect-GPC-Location-1"),
            name: Some(format!("The Trevelyan Practice, site {i}")),
            telecom: vec![ContactPoint {
                system: Some("phone".into()),
                value: Some("03003035678".into()),
                r#use: Some("work".into()),
                ..Default::default()
            }],
            address: Some(Address {
                line: vec!["Trevelyan Square".into(), "Boar Ln".into()],
                city: Some("Leeds".into()),
                postal_code: Some("LS1 6AE".into()),
                ..Default::default()
            }),
            managing_organization: Some(reference("Organization/1".into())),
            ..Default::default()
        };
        entries.push(entry(location, format!("{base}/Location/{i}")));
    }
    let organization = Organization {
        id: Some("1".into()),
        meta: meta(0, "CareConnect-GPC-Organization-1"),
        identifier: vec![Identifier {
            system: Some("https://fhir.nhs.uk/Id/ods-organization-code".into()),
            value: Some("A00001".into()),
            ..Default::default()
        }],
        name: Some("The Trevelyan Practice".into()),
        telecom: vec![ContactPoint {
            system: Some("phone".into()),
            value: Some("03003035678".into()),
            r#use: Some("work".into()),
            ..Default::default()
        }],
        address: vec![Address {
            line: vec!["Trevelyan Square".into(), "Boar Ln".into()],
            city: Some("Leeds".into()),
            district: Some("West Yorkshire".into()),
            postal_code: Some("LS1 6AE".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    entries.push(entry(organization, format!("{base}/Organization/1")));
    Bundle {
        id: Some("5f0a3a1e-8d6c-4c5e-9b1a-0f8f7e6d5c4b".into()),
        meta: Some(Meta {
            last_updated: Some("2017-09-14T12:00:00+01:00".into()),
            profile: vec![format!("{PROFILE}GPConnect-Searchset-Bundle-1")],
            ..Default::default()
        }),
        r#type: "searchset".into(),
        entry: entries,
        ..Default::default()
    }
    .into()
}

fn codec(c: &mut Criterion) {
    let bundle = search_bundle();
    for (format, label) in [(Format::Json, "json"), (Format::Xml, "xml")] {
        let bytes = encode(&bundle, format).expect("encodes");
        assert_eq!(decode(&bytes, format).expect("decodes"), bundle);
        let mut group = c.benchmark_group(format!("search_bundle_{label}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("encode", |b| b.iter(|| encode(black_box(&bundle), format)));
        let mut buffer = Vec::with_capacity(bytes.len());
        group.bench_function("encode_into_reused_buffer", |b| {
            b.iter(|| {
                buffer.clear();
                encode_into(black_box(&bundle), format, &mut buffer)
            })
        });
        group.bench_function("decode", |b| b.iter(|| decode(black_box(&bytes), format)));
        group.finish();
    }
}

criterion_group!(benches, codec);
criterion_main!(benches);
