//! The FHIR JSON codec. Decoding parses into a JSON tree (refusing duplicate properties),
//! checks the FHIR wire rules against the schema with element paths in every error, then builds
//! the typed resource. Encoding is plain serde: fields are already in FHIR order.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::error::{DecodeError, EncodeError, Path};
use crate::model::Resource;
use crate::options::DecodeOptions;
use crate::schema::check::check_resource;

/// Decodes FHIR JSON bytes into a resource, strictly ([`DecodeOptions::STRICT`]).
pub fn decode(bytes: &[u8]) -> Result<Resource, DecodeError> {
    decode_with(bytes, DecodeOptions::STRICT)
}

/// Decodes FHIR JSON bytes into a resource with `options`.
pub fn decode_with(bytes: &[u8], options: DecodeOptions) -> Result<Resource, DecodeError> {
    let StrictValue(value) = serde_json::from_slice(bytes).map_err(|e| {
        let error = DecodeError::document(format!("invalid JSON: {e}"));
        // A data error (a duplicate property) is well-formed JSON that FHIR refuses.
        match e.classify() {
            serde_json::error::Category::Data => error,
            _ => error.syntax(),
        }
    })?;
    decode_value_with(value, options)
}

/// Decodes a resource already parsed as a JSON tree (e.g. a JWT claim), with the same checks
/// as [`decode`]. Duplicate properties cannot be detected once parsed.
pub fn decode_value(value: Value) -> Result<Resource, DecodeError> {
    decode_value_with(value, DecodeOptions::STRICT)
}

/// Decodes a resource already parsed as a JSON tree with `options` (see [`decode_value`]).
pub fn decode_value_with(
    mut value: Value,
    options: DecodeOptions,
) -> Result<Resource, DecodeError> {
    // In lenient mode the check removes the elements it skips, so the typed structs (which
    // deny unknown fields) only see known ones.
    let def = check_resource(&mut value, &Path::Document, 0, options)?;
    match value {
        Value::Object(object) => Resource::from_json_object(object)
            // The schema check mirrors the structs, so this only fires if they disagree.
            .map_err(|e| DecodeError::at(&Path::Root(def.name), e.to_string())),
        _ => Err(DecodeError::document("expected a resource (JSON object)")),
    }
}

/// Appends the FHIR JSON encoding of `resource` to `out`.
pub fn encode_into(resource: &Resource, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    serde_json::to_writer(out, resource).map_err(|e| EncodeError::Serialize(e.to_string()))
}

/// A JSON tree parsed strictly: a repeated property name in one object is an error (JSON
/// parsers disagree on which duplicate wins, so FHIR JSON must not contain them).
struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(value) = map.next_value()?;
            match object.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(slot) => {
                    return Err(de::Error::custom(format!(
                        "duplicate property '{}'",
                        slot.key()
                    )));
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        match decode(json.as_bytes()) {
            Ok(r) => panic!("decoded {r:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn decodes_a_slot() {
        let json = r#"{"resourceType":"Slot","id":"1","schedule":{"reference":"Schedule/1"},
            "status":"free","start":"2017-09-15T11:30:00+01:00","end":"2017-09-15T11:40:00+01:00"}"#;
        let resource = decode(json.as_bytes()).unwrap();
        assert_eq!(resource.resource_type(), "Slot");
        assert_eq!(resource.id(), Some("1"));
    }

    #[test]
    fn accepts_resource_type_anywhere_in_the_object() {
        let json = r#"{"type":"collection","entry":[{"resource":{"id":"1","gender":"male",
            "resourceType":"Patient"}}],"resourceType":"Bundle"}"#;
        let Resource::Bundle(bundle) = decode(json.as_bytes()).unwrap() else {
            panic!("not a Bundle");
        };
        let Some(Resource::Patient(patient)) = &bundle.entry[0].resource else {
            panic!("not a Patient");
        };
        assert_eq!(patient.gender.as_deref(), Some("male"));
    }

    #[test]
    fn names_the_path_of_an_unknown_element() {
        let json = r#"{"resourceType":"Appointment","status":"booked",
            "participant":[{"status":"accepted","foo":1}]}"#;
        assert_eq!(
            err(json),
            "Appointment.participant[0]: unknown element 'foo'"
        );
    }

    #[test]
    fn rejects_unknown_resource_types() {
        assert_eq!(
            err(r#"{"resourceType":"InvalidResourceType"}"#),
            "unknown resourceType 'InvalidResourceType'"
        );
        assert_eq!(err(r#"{"id":"1"}"#), "missing resourceType");
    }

    #[test]
    fn rejects_nulls_and_empty_values() {
        assert_eq!(
            err(r#"{"resourceType":"Patient","gender":null}"#),
            "Patient.gender: null is not allowed (omit the element instead)"
        );
        assert_eq!(
            err(r#"{"resourceType":"Patient","gender":""}"#),
            "Patient.gender: empty string is not allowed"
        );
        assert_eq!(
            err(r#"{"resourceType":"Patient","name":[]}"#),
            "Patient.name: empty array is not allowed (omit the element instead)"
        );
        assert_eq!(
            err(r#"{"resourceType":"Patient","maritalStatus":{}}"#),
            "Patient.maritalStatus: empty object is not allowed (omit the element instead)"
        );
    }

    #[test]
    fn rejects_wrong_json_types_and_cardinality() {
        assert_eq!(
            err(r#"{"resourceType":"Patient","active":"true"}"#),
            "Patient.active: expected a boolean (true or false), found a string"
        );
        assert_eq!(
            err(r#"{"resourceType":"Location","address":[{"city":"Leeds"}]}"#),
            "Location.address: expected a single value, found an array (the element does not repeat)"
        );
        assert_eq!(
            err(r#"{"resourceType":"Organization","telecom":{"value":"1"}}"#),
            "Organization.telecom: expected an array (the element repeats), found an object"
        );
        assert_eq!(
            err(
                r#"{"resourceType":"Appointment","status":"booked","minutesDuration":1.5,"participant":[{"status":"accepted"}]}"#
            ),
            "Appointment.minutesDuration: expected an integer, found 1.5"
        );
    }

    #[test]
    fn rejects_missing_required_elements_and_double_choices() {
        assert_eq!(
            err(r#"{"resourceType":"Appointment","status":"booked"}"#),
            "Appointment: missing required element 'participant'"
        );
        assert_eq!(
            err(r#"{"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2020-01-01"}"#),
            "Patient: only one deceased[x] variant is allowed, found 'deceasedBoolean' and 'deceasedDateTime'"
        );
    }

    #[test]
    fn refuses_primitive_extensions_and_duplicates() {
        assert!(err(
            r#"{"resourceType":"Patient","birthDate":"2000-01-01","_birthDate":{"id":"x"}}"#
        )
        .starts_with(
            "Patient: unknown element '_birthDate' (extensions or ids on primitive values"
        ));
        assert!(
            err(r#"{"resourceType":"Patient","gender":"male","gender":"female"}"#)
                .contains("duplicate property 'gender'")
        );
    }

    #[test]
    fn checks_nested_resources_with_their_path() {
        let json = r#"{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Nope"}}]}"#;
        assert_eq!(
            err(json),
            "Bundle.entry[0].resource: unknown resourceType 'Nope'"
        );
    }
}
