//! SPEC 2.6: providers reject unknown elements in request bodies, consumers ignore unknown
//! elements and extensions in answers. The same answer, with elements from a later FHIR
//! version and vendor extras at several depths, is refused strictly and read leniently as the
//! document without them, in JSON and in XML; lenient reading still refuses what is malformed,
//! hostile or of the wrong type.
// Tests may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

use gpconnect_fhir::{
    decode, decode_as_with, decode_with, json, xml, Bundle, DecodeOptions, Format, Patient,
    Resource, UnknownElements,
};
use serde_json::{json, Value};

const NS: &str = r#"xmlns="http://hl7.org/fhir""#;
const COMMUNICATION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1";

/// The answer as the consumer understands it.
fn clean() -> Value {
    json!({
        "resourceType": "Bundle",
        "id": "b1",
        "meta": { "lastUpdated": "2020-01-01T10:00:00+00:00" },
        "type": "searchset",
        "entry": [{
            "fullUrl": "https://provider.example/Patient/1",
            "resource": {
                "resourceType": "Patient",
                "id": "1",
                "contained": [{
                    "resourceType": "Practitioner",
                    "id": "pr1",
                    "name": [{ "family": "Smith" }]
                }],
                "extension": [{
                    "url": COMMUNICATION,
                    "extension": [{
                        "url": "language",
                        "valueCodeableConcept": {
                            "coding": [{ "system": "urn:iso:std:iso:639", "code": "en" }]
                        }
                    }]
                }],
                "name": [{ "family": "Jones", "given": ["Ann"] }],
                "birthDate": "1980-02-03",
                "generalPractitioner": [{ "reference": "#pr1" }]
            },
            "search": { "mode": "match" }
        }]
    })
}

/// The same answer with extras at every depth: elements of later FHIR versions
/// (`meta.source`, `Bundle.timestamp`, `Reference.type`, `search.rank`), vendor elements, an
/// extension whose value type the model does not know, an element holding only unknown content
/// and ids and extensions on primitive values.
fn with_extras_json() -> Value {
    json!({
        "resourceType": "Bundle",
        "id": "b1",
        "meta": { "lastUpdated": "2020-01-01T10:00:00+00:00", "source": "urn:example:source" },
        "type": "searchset",
        "timestamp": "2020-01-01T10:00:00+00:00",
        "entry": [{
            "fullUrl": "https://provider.example/Patient/1",
            "resource": {
                "resourceType": "Patient",
                "id": "1",
                "contained": [{
                    "resourceType": "Practitioner",
                    "id": "pr1",
                    "name": [{ "family": "Smith", "nickname": "Smithy" }],
                    "futureFlag": true
                }],
                "extension": [
                    {
                        "url": "https://example.org/unknown-duration",
                        "valueDuration": { "value": 5, "unit": "min" }
                    },
                    {
                        "url": COMMUNICATION,
                        "extension": [{
                            "url": "language",
                            "valueCodeableConcept": {
                                "coding": [{
                                    "system": "urn:iso:std:iso:639",
                                    "code": "en",
                                    "vendorRank": 1
                                }]
                            }
                        }]
                    }
                ],
                "vendorData": { "anything": [1, { "deep": [null, "x"] }] },
                "name": [{
                    "family": "Jones",
                    "given": ["Ann", null],
                    "_given": [null, { "extension": [{ "url": "x", "valueString": "y" }] }]
                }],
                "birthDate": "1980-02-03",
                "_birthDate": { "extension": [{
                    "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                    "valueDateTime": "1980-02-03T10:00:00+00:00"
                }]},
                "maritalStatus": { "unknownOnly": 1 },
                "generalPractitioner": [{ "reference": "#pr1", "type": "Practitioner" }]
            },
            "search": { "mode": "match", "rank": 1 }
        }]
    })
}

fn with_extras_xml() -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<Bundle {NS} xmlns:v="urn:example:vendor" v:note="ignored">
  <id value="b1"/>
  <meta><lastUpdated value="2020-01-01T10:00:00+00:00"/><source value="urn:example:source"/></meta>
  <type value="searchset"/>
  <timestamp value="2020-01-01T10:00:00+00:00"/>
  <entry>
    <fullUrl value="https://provider.example/Patient/1"/>
    <resource>
      <Patient>
        <id value="1"/>
        <contained>
          <Practitioner>
            <id value="pr1"/>
            <name><family value="Smith"/><nickname value="Smithy"/></name>
            <futureFlag value="true"/>
          </Practitioner>
        </contained>
        <extension url="https://example.org/unknown-duration">
          <valueDuration><value value="5"/><unit value="min"/></valueDuration>
        </extension>
        <extension url="{COMMUNICATION}">
          <extension url="language">
            <valueCodeableConcept>
              <coding><system value="urn:iso:std:iso:639"/><code value="en"/><vendorRank value="1"/></coding>
            </valueCodeableConcept>
          </extension>
        </extension>
        <v:vendorData kind="a">free text &amp; more &#233;<v:inner><![CDATA[<raw>]]></v:inner><!-- note --></v:vendorData>
        <name>
          <family value="Jones"/>
          <given id="g1" value="Ann"/>
          <given><extension url="x"><valueString value="y"/></extension></given>
        </name>
        <birthDate value="1980-02-03">
          <extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">
            <valueDateTime value="1980-02-03T10:00:00+00:00"/>
          </extension>
        </birthDate>
        <maritalStatus><unknownOnly value="1"/></maritalStatus>
        <generalPractitioner><reference value="#pr1"/><type value="Practitioner"/></generalPractitioner>
      </Patient>
    </resource>
    <search><mode value="match"/><rank value="1"/></search>
  </entry>
</Bundle>"##
    )
}

fn clean_resource() -> Resource {
    json::decode(clean().to_string().as_bytes()).unwrap()
}

fn lenient(bytes: &[u8], format: Format) -> Resource {
    decode_with(bytes, format, DecodeOptions::LENIENT)
        .unwrap_or_else(|e| panic!("{format:?} refused: {e}"))
}

fn lenient_error(text: &str, format: Format) -> String {
    match decode_with(text.as_bytes(), format, DecodeOptions::LENIENT) {
        Ok(r) => panic!("{format:?} accepted {text}: {r:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_answer_with_extras_reads_leniently_as_the_answer_without_them() {
    let expected = clean_resource();
    let json_bytes = with_extras_json().to_string();
    assert_eq!(lenient(json_bytes.as_bytes(), Format::Json), expected);
    assert_eq!(lenient(with_extras_xml().as_bytes(), Format::Xml), expected);

    let typed: Bundle = decode_as_with(
        json_bytes.as_bytes(),
        Format::Json,
        DecodeOptions::default().with_unknown_elements(UnknownElements::Ignore),
    )
    .unwrap();
    let Some(Resource::Patient(patient)) = &typed.entry[0].resource else {
        panic!("not a Patient");
    };
    assert_eq!(patient.birth_date.as_deref(), Some("1980-02-03"));
    assert_eq!(patient.name[0].given, ["Ann"]);
    assert_eq!(
        patient.extension.len(),
        1,
        "the unknown extension is skipped"
    );
    assert!(patient.marital_status.is_none());
}

#[test]
fn the_same_answer_is_refused_strictly() {
    let json_bytes = with_extras_json().to_string();
    assert_eq!(
        decode(json_bytes.as_bytes(), Format::Json)
            .unwrap_err()
            .to_string(),
        "Bundle.meta: unknown element 'source'"
    );
    assert_eq!(
        decode(with_extras_xml().as_bytes(), Format::Xml)
            .unwrap_err()
            .to_string(),
        "Bundle: unknown attribute 'v:note'"
    );
    assert_eq!(DecodeOptions::default(), DecodeOptions::STRICT);
}

/// One extra element at a time, at every depth: strict names its path, lenient drops it.
#[test]
fn each_extra_is_refused_strictly_at_its_path_and_skipped_leniently() {
    let cases = [
        ("", "Bundle"),
        ("/meta", "Bundle.meta"),
        ("/entry/0", "Bundle.entry[0]"),
        ("/entry/0/search", "Bundle.entry[0].search"),
        ("/entry/0/resource", "Bundle.entry[0].resource"),
        (
            "/entry/0/resource/contained/0",
            "Bundle.entry[0].resource.contained[0]",
        ),
        (
            "/entry/0/resource/contained/0/name/0",
            "Bundle.entry[0].resource.contained[0].name[0]",
        ),
        (
            "/entry/0/resource/extension/0/extension/0/valueCodeableConcept/coding/0",
            "Bundle.entry[0].resource.extension[0].extension[0].valueCodeableConcept.coding[0]",
        ),
    ];
    let expected = clean_resource();
    for (pointer, path) in cases {
        let mut value = clean();
        value
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap()
            .insert("vendorFlag".into(), json!({ "on": true }));
        let bytes = value.to_string();
        assert_eq!(
            json::decode(bytes.as_bytes()).unwrap_err().to_string(),
            format!("{path}: unknown element 'vendorFlag'")
        );
        assert_eq!(lenient(bytes.as_bytes(), Format::Json), expected, "{path}");

        // The same place in XML: after the first child of the element the pointer names.
        let xml_text =
            String::from_utf8(gpconnect_fhir::encode(&expected, Format::Xml).unwrap()).unwrap();
        let anchor = match pointer {
            "" => r#"<id value="b1"/>"#,
            "/meta" => r#"<lastUpdated value="2020-01-01T10:00:00+00:00"/>"#,
            "/entry/0" => r#"<fullUrl value="https://provider.example/Patient/1"/>"#,
            "/entry/0/search" => r#"<mode value="match"/>"#,
            "/entry/0/resource" => r#"<id value="1"/>"#,
            "/entry/0/resource/contained/0" => r#"<id value="pr1"/>"#,
            "/entry/0/resource/contained/0/name/0" => r#"<family value="Smith"/>"#,
            _ => r#"<code value="en"/>"#,
        };
        assert_eq!(xml_text.matches(anchor).count(), 1, "{anchor}");
        let xml_text = xml_text.replace(
            anchor,
            &format!(r#"{anchor}<vendorFlag><on value="true"/></vendorFlag>"#),
        );
        assert_eq!(
            xml::decode(xml_text.as_bytes()).unwrap_err().to_string(),
            format!("{path}: unknown element 'vendorFlag'")
        );
        assert_eq!(
            lenient(xml_text.as_bytes(), Format::Xml),
            expected,
            "{path}"
        );
    }
}

#[test]
fn lenient_reading_still_refuses_invalid_values_of_known_elements() {
    let cases = [
        (
            r#"{"resourceType":"Patient","extra":1,"active":"yes"}"#,
            "Patient.active: expected a boolean (true or false), found a string",
        ),
        (
            r#"{"resourceType":"Patient","extra":1,"gender":null}"#,
            "Patient.gender: null is not allowed (omit the element instead)",
        ),
        (
            r#"{"resourceType":"Patient","name":{"family":"Jones"}}"#,
            "Patient.name: expected an array (the element repeats), found an object",
        ),
        (
            r#"{"resourceType":"Patient","maritalStatus":{}}"#,
            "Patient.maritalStatus: empty object is not allowed (omit the element instead)",
        ),
        (
            r#"{"resourceType":"Appointment","status":"booked","participant":[{"vendor":1}]}"#,
            "Appointment: missing required element 'participant'",
        ),
        (
            r#"{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Flag"}}]}"#,
            "Bundle.entry[0].resource: unknown resourceType 'Flag'",
        ),
        (
            r#"{"resourceType":"Patient","modifierExtension":[{"url":"u","valueDuration":{"value":1}}]}"#,
            "Patient.modifierExtension[0]: a modifier extension cannot be ignored",
        ),
        (
            r#"{"resourceType":"Patient","maritalStatus":{"text":"x","modifierExtension":[]}}"#,
            "Patient.maritalStatus: unknown element 'modifierExtension'",
        ),
    ];
    for (text, expected) in cases {
        let err = lenient_error(text, Format::Json);
        assert!(err.starts_with(expected), "{text}\n  got: {err}");
    }
    let err = lenient_error(
        r#"{"resourceType":"Patient","extra":{"a":[1,"#,
        Format::Json,
    );
    assert!(err.starts_with("invalid JSON"), "{err}");
    let err = lenient_error(
        r#"{"resourceType":"Patient","extra":1,"extra":2}"#,
        Format::Json,
    );
    assert!(err.contains("duplicate property 'extra'"), "{err}");
}

#[test]
fn lenient_xml_reading_still_refuses_malformed_and_hostile_content() {
    let deep = format!(
        "<vendor>{}{}</vendor>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    let cases = [
        (
            format!(
                r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><Patient {NS}><vendor>&e;</vendor></Patient>"#
            ),
            "DOCTYPE declarations are not allowed",
        ),
        (
            format!(r#"<Patient {NS}><vendor>&xxe;</vendor></Patient>"#),
            "Patient: invalid entity or character reference",
        ),
        (
            format!(r#"<Patient {NS}><vendor a="&xxe;"/></Patient>"#),
            "Patient: invalid entity or character reference",
        ),
        (
            format!(r#"<Patient {NS} note="&xxe;"><gender value="male"/></Patient>"#),
            "Patient: invalid entity or character reference",
        ),
        (
            format!(r#"<Patient {NS}>{deep}</Patient>"#),
            "Patient: nesting deeper than 64 levels",
        ),
        (
            format!(r#"<Patient {NS}><vendor><?php x?></vendor></Patient>"#),
            "Patient: processing instructions are not allowed",
        ),
        (
            format!(r#"<Patient {NS}><vendor><a></b></vendor></Patient>"#),
            "malformed XML",
        ),
        (
            format!(r#"<Patient {NS}><vendor><p:a/></vendor></Patient>"#),
            "Patient: element with an undeclared prefix 'p'",
        ),
        (
            format!(r#"<Patient {NS}><vendor p:a="1"/></Patient>"#),
            "Patient: attribute with an undeclared prefix 'p'",
        ),
        (
            format!(r#"<Patient {NS}><vendor>"#),
            "Patient: unexpected end of document (truncated?)",
        ),
        (
            format!(r#"<Patient {NS}><active value="yes"/><vendor/></Patient>"#),
            "Patient.active: 'yes' is not a valid boolean",
        ),
        (
            format!(r#"<Patient {NS}><maritalStatus>text</maritalStatus></Patient>"#),
            "Patient.maritalStatus: text content is not allowed here",
        ),
        (
            format!(r#"<Patient {NS}><gender value="male"/><active value="true"/></Patient>"#),
            "Patient: element 'active' is out of order",
        ),
        (
            format!(
                r#"<Patient {NS}><modifierExtension url="u"><valueDuration><value value="1"/></valueDuration></modifierExtension></Patient>"#
            ),
            "Patient.modifierExtension[0]: a modifier extension cannot be ignored",
        ),
        (
            format!(r#"<Patient {NS}><birthDate/></Patient>"#),
            "Patient.birthDate: missing value attribute",
        ),
    ];
    for (text, expected) in cases {
        let err = lenient_error(&text, Format::Xml);
        let shown = err
            .strip_prefix("malformed XML")
            .map_or(err.as_str(), |_| "malformed XML");
        assert!(shown.starts_with(expected), "{text}\n  got: {err}");
    }
}

#[test]
fn a_primitive_with_only_an_extension_is_absent_when_read_leniently() {
    let json_text = r#"{"resourceType":"Patient","gender":"male","_birthDate":{"extension":[{"url":"u","valueString":"unknown"}]}}"#;
    let xml_text = format!(
        r#"<Patient {NS}><gender value="male"/><birthDate><extension url="u"><valueString value="unknown"/></extension></birthDate></Patient>"#
    );
    for (text, format) in [
        (json_text.to_owned(), Format::Json),
        (xml_text, Format::Xml),
    ] {
        let patient: Patient =
            decode_as_with(text.as_bytes(), format, DecodeOptions::LENIENT).unwrap();
        assert_eq!(patient.gender.as_deref(), Some("male"));
        assert_eq!(patient.birth_date, None);
    }
}
