//! FHIR XML specifics: what the writer emits, what the reader refuses, and hostile input.

use gpconnect_fhir::*;
use serde_json::Number;

fn xml(resource: impl Into<Resource>) -> String {
    let bytes = encode(&resource.into(), Format::Xml).expect("encodes");
    String::from_utf8(bytes).expect("UTF-8 output")
}

fn decode_xml(text: &str) -> Result<Resource, DecodeError> {
    decode(text.as_bytes(), Format::Xml)
}

fn error(text: &str) -> String {
    match decode_xml(text) {
        Ok(r) => panic!("decoded {r:?}"),
        Err(e) => e.to_string(),
    }
}

const NS: &str = r#"xmlns="http://hl7.org/fhir""#;

fn practitioner() -> Practitioner {
    Practitioner {
        id: Some("2".into()),
        name: vec![HumanName {
            id: Some("n1".into()),
            family: Some("Black".into()),
            given: vec!["Sarah".into(), "Jane".into()],
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn writes_fhir_xml_conventions() {
    let patient = Patient {
        id: Some("p1".into()),
        text: Some(Narrative {
            status: "generated".into(),
            div: r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Jane &amp; co</p></div>"#.into(),
            ..Default::default()
        }),
        contained: vec![practitioner().into()],
        extension: vec![Extension {
            url: "https://example.org/ext".into(),
            value_code: Some("x".into()),
            ..Default::default()
        }],
        active: Some(true),
        general_practitioner: vec![Reference {
            reference: Some("#2".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(
        xml(patient),
        concat!(
            r#"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/>"#,
            r#"<text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Jane &amp; co</p></div></text>"#,
            r#"<contained><Practitioner><id value="2"/><name id="n1"><family value="Black"/>"#,
            r#"<given value="Sarah"/><given value="Jane"/></name></Practitioner></contained>"#,
            r#"<extension url="https://example.org/ext"><valueCode value="x"/></extension>"#,
            r##"<active value="true"/><generalPractitioner><reference value="#2"/></generalPractitioner></Patient>"##,
        )
    );
}

#[test]
fn escapes_values_so_they_read_back_unchanged() {
    let outcome = OperationOutcome {
        issue: vec![OperationOutcomeIssue {
            severity: "error".into(),
            code: "invalid".into(),
            diagnostics: Some("a < b & \"c\" > 'd'\nline two\ttab\r".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let text = xml(outcome.clone());
    assert!(
        text.contains(r#"value="a &lt; b &amp; &quot;c&quot; &gt; 'd'&#10;line two&#9;tab&#13;""#),
        "{text}"
    );
    assert_eq!(
        decode_as::<OperationOutcome>(text.as_bytes(), Format::Xml).unwrap(),
        outcome
    );
}

#[test]
fn decimals_and_integers_keep_their_json_values() {
    let location = Location {
        position: Some(LocationPosition {
            id: None,
            extension: vec![],
            modifier_extension: vec![],
            longitude: Number::from_f64(-1.0).unwrap(),
            latitude: Number::from_f64(53.796).unwrap(),
            altitude: Some(Number::from(12)),
        }),
        ..Default::default()
    };
    let text = xml(location.clone());
    assert!(
        text.contains(
            r#"<longitude value="-1.0"/><latitude value="53.796"/><altitude value="12"/>"#
        ),
        "{text}"
    );
    assert_eq!(
        decode_as::<Location>(text.as_bytes(), Format::Xml).unwrap(),
        location
    );
}

#[test]
fn refuses_control_characters_and_bad_narratives_on_output() {
    let bell = Patient {
        gender: Some("\u{7}".into()),
        ..Default::default()
    };
    assert!(matches!(
        encode(&bell.into(), Format::Xml),
        Err(EncodeError::UnrepresentableChar { code: 7, .. })
    ));
    let bad_div = Patient {
        text: Some(Narrative {
            status: "generated".into(),
            div: "<div>unclosed".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let err = encode(&bad_div.into(), Format::Xml).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Patient.text.div: narrative div is not well-formed XHTML"),
        "{err}"
    );
}

#[test]
fn repeating_elements_become_arrays() {
    let one = format!(r#"<Practitioner {NS}><name><given value="A"/></name></Practitioner>"#);
    let two = format!(
        r#"<Practitioner {NS}><name><given value="A"/><given value="B"/></name><name><family value="C"/></name></Practitioner>"#
    );
    assert_eq!(
        decode_as::<Practitioner>(one.as_bytes(), Format::Xml)
            .unwrap()
            .name[0]
            .given,
        ["A"]
    );
    let p = decode_as::<Practitioner>(two.as_bytes(), Format::Xml).unwrap();
    assert_eq!(p.name[0].given, ["A", "B"]);
    assert_eq!(p.name[1].family.as_deref(), Some("C"));
}

#[test]
fn reads_what_the_writer_wrote_with_whitespace_comments_and_declaration() {
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a practitioner -->\n<Practitioner {NS}>\n  <id value=\"2\"/>\n  <name id=\"n1\">\n    <family value=\"Black\"/>\n    <given value=\"Sarah\"/>\n    <given value=\"Jane\"></given>\n  </name>\n</Practitioner>\n"
    );
    assert_eq!(
        decode_as::<Practitioner>(text.as_bytes(), Format::Xml).unwrap(),
        practitioner()
    );
}

#[test]
fn errors_name_the_element_path() {
    let cases = [
        (
            format!(
                r#"<Appointment {NS}><status value="booked"/><participant><foo value="1"/></participant></Appointment>"#
            ),
            "Appointment.participant[0]: unknown element 'foo'",
        ),
        (
            format!(r#"<Patient {NS}><active value="yes"/></Patient>"#),
            "Patient.active: 'yes' is not a valid boolean (true or false)",
        ),
        (
            format!(
                r#"<Appointment {NS}><status value="booked"/><minutesDuration value="1.5"/><participant><status value="accepted"/></participant></Appointment>"#
            ),
            "Appointment.minutesDuration: '1.5' is not a valid integer",
        ),
        (
            format!(r#"<Patient {NS}><gender value=""/></Patient>"#),
            "Patient.gender: empty string is not allowed",
        ),
        (
            format!(r#"<Slot {NS}><status value="free"/></Slot>"#),
            "Slot: missing required element 'schedule'",
        ),
        (
            format!(r#"<InvalidResourceType {NS}/>"#),
            "unknown resourceType 'InvalidResourceType'",
        ),
        (
            format!(r#"<Patient {NS}><maritalStatus/></Patient>"#),
            "Patient.maritalStatus: empty object is not allowed (omit the element instead)",
        ),
        (
            format!(r#"<Patient {NS}><id value="1"/><name id="a"/></Patient>"#),
            "Patient.name[0]: element has no content (an 'id' alone is not allowed)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(error(&text), expected);
    }
}

#[test]
fn refuses_structural_violations() {
    let cases = [
        (
            format!(r#"<Patient {NS}><gender value="male"/><active value="true"/></Patient>"#),
            "Patient: element 'active' is out of order",
        ),
        (
            format!(r#"<Patient {NS}><gender value="male"/><gender value="male"/></Patient>"#),
            "Patient: element 'gender' appears more than once",
        ),
        (
            format!(r#"<Patient {NS}>hello</Patient>"#),
            "Patient: text content is not allowed here",
        ),
        (
            format!(r#"<Patient {NS} id="1"/>"#),
            "Patient: unknown attribute 'id'",
        ),
        (
            format!(r#"<Patient {NS}><active value="true" foo="x"/></Patient>"#),
            "Patient.active: unknown attribute 'foo'",
        ),
        (
            r#"<Patient xmlns="urn:other"/>"#.to_owned(),
            "root element <Patient> must be in the FHIR namespace",
        ),
        (
            format!(r#"<Patient {NS}><x:active xmlns:x="urn:y" value="true"/></Patient>"#),
            "Patient: element 'active' must be in the namespace http://hl7.org/fhir",
        ),
        (
            format!(
                r#"<Patient {NS}><birthDate value="2000-01-01"><extension url="u"><valueString value="v"/></extension></birthDate></Patient>"#
            ),
            "Patient.birthDate: extensions on primitive values are not supported",
        ),
        (
            format!(
                r#"<Patient {NS}><text><status value="generated"/><div>x</div></text></Patient>"#
            ),
            "Patient.text: element 'div' must be in the namespace http://www.w3.org/1999/xhtml",
        ),
        (
            format!(r#"<Patient {NS}/><Patient {NS}/>"#),
            "content after the root element",
        ),
        (
            format!(
                r#"<Bundle {NS}><type value="collection"/><entry><resource/></entry></Bundle>"#
            ),
            "Bundle.entry[0].resource: expected a resource inside the element",
        ),
        (
            format!(r#"<?xml version="1.0" encoding="ISO-8859-1"?><Patient {NS}/>"#),
            "unsupported encoding 'ISO-8859-1'",
        ),
        (
            format!(r#"<?pi x?><Patient {NS}/>"#),
            "processing instructions are not allowed",
        ),
    ];
    for (text, expected) in cases {
        let err = error(&text);
        assert!(
            err.starts_with(expected),
            "{text}\n  got: {err}\n  want: {expected}"
        );
    }
}

#[test]
fn refuses_entity_declarations_and_never_expands_entities() {
    let billion_laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Patient {NS}><gender value="&lol3;"/></Patient>"#
    );
    assert_eq!(
        error(&billion_laughs),
        "DOCTYPE declarations are not allowed"
    );
    let external = format!(
        r#"<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Patient {NS}><gender value="&xxe;"/></Patient>"#
    );
    assert_eq!(error(&external), "DOCTYPE declarations are not allowed");
    let undeclared = format!(r#"<Patient {NS}><gender value="&xxe;"/></Patient>"#);
    assert!(
        error(&undeclared).starts_with("Patient.gender: invalid entity or character reference"),
        "{}",
        error(&undeclared)
    );
    let doctype_in_narrative = format!(
        r#"<Patient {NS}><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><!DOCTYPE x>y</div></text></Patient>"#
    );
    assert!(decode_xml(&doctype_in_narrative).is_err());
}

#[test]
fn refuses_deep_nesting() {
    let depth = 200;
    let nested = format!(
        r#"<Patient {NS}>{}<valueString value="x"/>{}</Patient>"#,
        r#"<extension url="u">"#.repeat(depth),
        "</extension>".repeat(depth)
    );
    assert!(error(&nested).contains("nesting deeper than 64 levels"));
    let json = format!(
        r#"{{"resourceType":"Patient",{}"valueString":"x"{}}}"#,
        r#""extension":[{"url":"u","#.repeat(depth),
        "}]".repeat(depth)
    );
    let err = decode(json.as_bytes(), Format::Json)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("nesting deeper than 64 levels") || err.contains("recursion limit"),
        "{err}"
    );
    let narrative = format!(
        r#"<Patient {NS}><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml">{}{}</div></text></Patient>"#,
        "<b>".repeat(depth),
        "</b>".repeat(depth)
    );
    assert!(error(&narrative).contains("nesting deeper than 64 levels"));
}

#[test]
fn refuses_non_utf8_and_truncated_documents() {
    assert!(error_bytes(
        b"<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"\xff\"/></Patient>"
    )
    .contains("UTF-8"));
    let utf16: Vec<u8> = "\u{feff}<Patient/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(error_bytes(&utf16).contains("UTF-8"));
    let full = xml(practitioner());
    for cut in 1..full.len() {
        assert!(
            decode_xml(&full[..cut]).is_err(),
            "accepted a document cut at {cut}"
        );
    }
}

fn error_bytes(bytes: &[u8]) -> String {
    decode(bytes, Format::Xml).expect_err("refused").to_string()
}

#[test]
fn decode_as_checks_the_resource_type() {
    let text = xml(practitioner());
    let err = decode_as::<Patient>(text.as_bytes(), Format::Xml).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected resourceType 'Patient', found 'Practitioner'"
    );
    assert_eq!(Format::Xml.mime(), "application/fhir+xml");
    assert_eq!(Format::Json.mime(), "application/fhir+json");
}
