//! FHIR datatypes built from the practice records, shared by every resource builder.
//!
//! SPEC 2.11: every element for which data exists is populated, absent parts stay absent (no
//! empty strings or arrays on the wire, SPEC 2.6), `Address.text` is not populated and
//! references are relative (`Type/id`, SPEC 1).

use gpconnect_domain::records::{self, HumanName};
use gpconnect_domain::FhirId;
use gpconnect_fhir::{Address, CodeableConcept, Coding, ContactPoint, Identifier, Meta, Reference};

/// `meta` with exactly one profile and the record version (SPEC 2.7: both on every resource
/// returned).
pub fn meta(profile: &str, version: i64) -> Meta {
    Meta {
        version_id: Some(version.to_string()),
        profile: vec![profile.to_owned()],
        ..Meta::default()
    }
}

/// A relative reference, e.g. `Organization/1`.
pub fn reference(resource_type: &str, id: &FhirId) -> Reference {
    Reference {
        reference: Some(format!("{resource_type}/{id}")),
        ..Reference::default()
    }
}

/// A business identifier with its system and value.
pub fn identifier(system: &str, value: &str) -> Identifier {
    Identifier {
        system: Some(system.to_owned()),
        value: non_empty(value),
        ..Identifier::default()
    }
}

/// A coding with its display when known.
pub fn coding(coding: &records::Coding) -> Coding {
    Coding {
        system: non_empty(&coding.system),
        code: non_empty(&coding.code),
        display: coding.display.as_deref().and_then(non_empty),
        ..Coding::default()
    }
}

/// A CodeableConcept holding one coding.
pub fn codeable_concept(value: &records::Coding) -> CodeableConcept {
    CodeableConcept {
        coding: vec![coding(value)],
        ..CodeableConcept::default()
    }
}

/// An address: `use`, `line`, `city`, `district`, `postalCode`, `country` (SPEC 2.11).
pub fn address(address: &records::Address) -> Address {
    Address {
        r#use: address.use_.map(|u| u.code().to_owned()),
        line: address.lines.iter().filter_map(|l| non_empty(l)).collect(),
        city: address.city.as_deref().and_then(non_empty),
        district: address.district.as_deref().and_then(non_empty),
        postal_code: address.postal_code.as_deref().and_then(non_empty),
        country: address.country.as_deref().and_then(non_empty),
        ..Address::default()
    }
}

/// A telephone number or e-mail address: `system` and `value` always, `use` when known.
pub fn contact_point(contact: &records::ContactPoint) -> ContactPoint {
    ContactPoint {
        system: Some(contact.system.code().to_owned()),
        value: non_empty(&contact.value),
        r#use: contact.use_.map(|u| u.code().to_owned()),
        ..ContactPoint::default()
    }
}

/// A person's name: `use`, `family`, `given`, `prefix`.
pub fn human_name(name: &HumanName) -> gpconnect_fhir::HumanName {
    gpconnect_fhir::HumanName {
        r#use: Some(name.use_.code().to_owned()),
        family: non_empty(&name.family),
        given: name.given.iter().filter_map(|g| non_empty(g)).collect(),
        prefix: name.prefix.iter().filter_map(|p| non_empty(p)).collect(),
        ..gpconnect_fhir::HumanName::default()
    }
}

/// `Some` of the text unless it is empty or blank (FHIR strings are never empty, SPEC 2.6).
fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{AddressUse, ContactSystem, ContactUse, NameUse};

    #[test]
    fn absent_and_blank_parts_are_left_out() {
        let a = address(&records::Address {
            use_: Some(AddressUse::Home),
            lines: vec!["1 High Street".into(), " ".into()],
            city: Some("Leeds".into()),
            district: None,
            postal_code: Some(String::new()),
            country: None,
        });
        assert_eq!(a.r#use.as_deref(), Some("home"));
        assert_eq!(a.line, ["1 High Street"]);
        assert_eq!(a.city.as_deref(), Some("Leeds"));
        assert_eq!((a.postal_code, a.text), (None, None));

        let n = human_name(&HumanName {
            use_: NameUse::Nickname,
            family: String::new(),
            given: vec!["Al".into()],
            prefix: Vec::new(),
        });
        assert_eq!((n.r#use.as_deref(), n.family), (Some("nickname"), None));
    }

    #[test]
    fn references_are_relative_and_meta_has_one_profile() {
        let id = FhirId::parse("a-1.2").unwrap();
        assert_eq!(
            reference("Location", &id).reference.as_deref(),
            Some("Location/a-1.2")
        );
        let m = meta("https://example.org/P", 7);
        assert_eq!(m.profile, ["https://example.org/P"]);
        assert_eq!(m.version_id.as_deref(), Some("7"));
        let c = contact_point(&records::ContactPoint {
            system: ContactSystem::Phone,
            value: "01632 960001".into(),
            use_: Some(ContactUse::Work),
        });
        assert_eq!(
            (c.system.as_deref(), c.r#use.as_deref()),
            (Some("phone"), Some("work"))
        );
    }
}
