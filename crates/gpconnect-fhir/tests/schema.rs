//! The element table is the single description of element order and cardinality: these tests
//! pin it to the model structs (so the serde-driven XML writer emits the table's order) and to
//! the GP Connect profile snapshots (so the table's order and cardinality are the STU3 ones).

use std::collections::BTreeMap;
use std::path::Path;

use gpconnect_fhir::schema::{self, ElementType, TypeDef, COMPLEX_TYPES, EXTENSION, RESOURCES};
use gpconnect_fhir::*;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that only records the field list serde derives for a struct.
struct FieldCapture(Option<(&'static str, &'static [&'static str])>);

impl<'de> Deserializer<'de> for &mut FieldCapture {
    type Error = de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some((name, fields));
        Err(de::Error::custom("captured"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn struct_fields<'de, T: Deserialize<'de>>() -> (&'static str, &'static [&'static str]) {
    let mut capture = FieldCapture(None);
    let _ = T::deserialize(&mut capture);
    capture.0.expect("a struct")
}

macro_rules! all_struct_fields {
    ($($ty:ident),+ $(,)?) => {
        vec![$(struct_fields::<$ty>()),+]
    };
}

#[test]
fn every_struct_matches_its_table_entry() {
    let structs = all_struct_fields!(
        Meta,
        Narrative,
        Extension,
        Identifier,
        HumanName,
        ContactPoint,
        Address,
        CodeableConcept,
        Coding,
        Period,
        Reference,
        Attachment,
        Quantity,
        Range,
        Annotation,
        Signature,
        ContactDetail,
        UsageContext,
        Patient,
        PatientContact,
        PatientAnimal,
        PatientCommunication,
        PatientLink,
        Practitioner,
        PractitionerQualification,
        PractitionerRole,
        PractitionerRoleAvailableTime,
        PractitionerRoleNotAvailable,
        Organization,
        OrganizationContact,
        Location,
        LocationPosition,
        Schedule,
        Slot,
        Appointment,
        AppointmentParticipant,
        Bundle,
        BundleLink,
        BundleEntry,
        BundleEntrySearch,
        BundleEntryRequest,
        BundleEntryResponse,
        OperationOutcome,
        OperationOutcomeIssue,
        CapabilityStatement,
        CapabilityStatementSoftware,
        CapabilityStatementImplementation,
        CapabilityStatementRest,
        CapabilityStatementRestSecurity,
        CapabilityStatementRestSecurityCertificate,
        CapabilityStatementRestResource,
        CapabilityStatementRestResourceInteraction,
        CapabilityStatementRestResourceSearchParam,
        CapabilityStatementRestInteraction,
        CapabilityStatementRestOperation,
        CapabilityStatementMessaging,
        CapabilityStatementMessagingEndpoint,
        CapabilityStatementMessagingSupportedMessage,
        CapabilityStatementMessagingEvent,
        CapabilityStatementDocument,
        Parameters,
        ParametersParameter,
        Device,
        DeviceUdi,
    );
    let defs: Vec<&TypeDef> = RESOURCES.iter().chain(COMPLEX_TYPES).copied().collect();
    assert_eq!(
        structs.len(),
        defs.len(),
        "every table entry has a struct and vice versa"
    );
    for (name, fields) in structs {
        let def = defs
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("{name} has no table entry"));
        // The writer needs attributes before child elements; otherwise the struct follows the
        // table exactly.
        let expected: Vec<&str> = def
            .elements
            .iter()
            .filter(|e| e.attribute)
            .chain(def.elements.iter().filter(|e| !e.attribute))
            .map(|e| e.name)
            .collect();
        assert_eq!(fields, expected.as_slice(), "{name}");
    }
}

#[test]
fn every_resource_variant_has_a_table_entry() {
    for def in RESOURCES {
        assert!(Resource::is_known_type(def.name), "{}", def.name);
        assert_eq!(schema::resource(def.name).map(|d| d.name), Some(def.name));
    }
}

/// One `snapshot.element` of a profile.
struct SnapshotElement {
    path: String,
    base_min: String,
    base_max: String,
}

fn snapshot(file: &Path) -> (String, Vec<SnapshotElement>) {
    let text = std::fs::read_to_string(file).expect("profile");
    let mut reader = Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut root_type = String::new();
    let mut elements = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed profile");
        let (start, empty) = match event {
            Event::Start(s) => (s, false),
            Event::Empty(s) => (s, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let value = start
            .try_get_attribute("value")
            .expect("attribute")
            .map(|a| a.unescape_value().expect("value").into_owned());
        let parents: Vec<&str> = stack.iter().map(String::as_str).collect();
        match (parents.as_slice(), name.as_str(), value) {
            (["StructureDefinition"], "type", Some(v)) => root_type = v,
            (["StructureDefinition", "snapshot"], "element", _) => elements.push(SnapshotElement {
                path: String::new(),
                base_min: String::new(),
                base_max: String::new(),
            }),
            (["StructureDefinition", "snapshot", "element"], "path", Some(v)) => {
                elements.last_mut().expect("element").path = v;
            }
            (["StructureDefinition", "snapshot", "element", "base"], "min", Some(v)) => {
                elements.last_mut().expect("element").base_min = v;
            }
            (["StructureDefinition", "snapshot", "element", "base"], "max", Some(v)) => {
                elements.last_mut().expect("element").base_max = v;
            }
            _ => {}
        }
        if !empty {
            stack.push(name);
        }
    }
    (root_type, elements)
}

/// The table element a snapshot path segment names, as (group key, position of the group).
fn resolve<'a>(
    def: &'a TypeDef,
    segment: &str,
) -> Option<(&'a str, usize, &'a schema::ElementDef)> {
    let (index, element) = def
        .elements
        .iter()
        .enumerate()
        .find(|(_, e)| e.name == segment || e.choice == Some(segment))?;
    let key = element.choice.unwrap_or(element.name);
    let first = def
        .elements
        .iter()
        .position(|e| e.choice.unwrap_or(e.name) == key)
        .unwrap_or(index);
    Some((key, first, element))
}

/// A parent's type and its children as (group key, table position), in snapshot order.
type ChildList = (&'static TypeDef, Vec<(&'static str, usize)>);

#[test]
fn table_order_and_cardinality_agree_with_every_profile_snapshot() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/profiles"
    ));
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("profiles")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for file in files {
        let (root_type, elements) = snapshot(&file);
        let root: &'static TypeDef = match schema::resource(&root_type) {
            Some(def) => def,
            None if root_type == "Extension" => &EXTENSION,
            None => continue,
        };
        let profile = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        // parent path → (its type, children keys in first-appearance order)
        let mut children: BTreeMap<String, ChildList> = BTreeMap::new();
        for element in &elements {
            let mut segments = element.path.split('.');
            assert_eq!(
                segments.next(),
                Some(root_type.as_str()),
                "{profile}: {}",
                element.path
            );
            let mut def = Some(root);
            let mut parent = root_type.clone();
            for segment in segments {
                let Some(current) = def else {
                    // Below a primitive or a resource: not described by this type's table.
                    break;
                };
                let (key, position, table_element) =
                    resolve(current, segment).unwrap_or_else(|| {
                        panic!(
                            "{profile}: {} has element '{segment}' unknown to table type {}",
                            element.path, current.name
                        )
                    });
                let entry = children
                    .entry(parent.clone())
                    .or_insert((current, Vec::new()));
                if !entry.1.iter().any(|(k, _)| *k == key) {
                    entry.1.push((key, position));
                }
                parent = format!("{parent}.{segment}");
                def = match table_element.ty {
                    ElementType::Complex(t) => Some(t),
                    _ => None,
                };
                if parent == element.path {
                    let repeats = element.base_max == "*";
                    assert_eq!(
                        table_element.repeats, repeats,
                        "{profile}: {} repeats",
                        element.path
                    );
                    assert_eq!(
                        table_element.min.to_string(),
                        element.base_min,
                        "{profile}: {} min",
                        element.path
                    );
                }
            }
        }
        for (parent, (def, keys)) in &children {
            let positions: Vec<usize> = keys.iter().map(|(_, p)| *p).collect();
            let mut sorted = positions.clone();
            sorted.sort_unstable();
            assert_eq!(
                positions, sorted,
                "{profile}: children of {parent} ({}) out of table order: {keys:?}",
                def.name
            );
            let mut groups: Vec<&str> = def
                .elements
                .iter()
                .map(|e| e.choice.unwrap_or(e.name))
                .collect();
            groups.dedup();
            let listed: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            assert_eq!(
                listed, groups,
                "{profile}: {parent} ({}) lists different elements",
                def.name
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} element lists compared");
}
