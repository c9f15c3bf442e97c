//! What the Foundations searches share (SPEC 3.2, 3.5, 3.7): the `identifier` parameter rules
//! and the searchset Bundle they answer with.

use gpconnect_domain::SpineCode;
use gpconnect_fhir::{Bundle, BundleEntry, Meta, Resource};

use crate::error::ApiError;
use crate::query::QueryParams;

/// The search parameter every Foundations search takes, exactly as spelt (SPEC 2.2: names are
/// case-sensitive).
pub const IDENTIFIER: &str = "identifier";

/// The profile of the `$gpc.registerpatient` answer (SPEC 3.4). Other searchsets do not claim
/// it: it requires at least one entry, and an empty result has none (SPEC 9.15).
pub const SEARCHSET_BUNDLE_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1";

/// The value of the single `identifier={system}|{value}` parameter of a Foundations search
/// whose only supported system is `system`.
///
/// SPEC 2.4, 3.2 (ATS PatientSearch, PractitionerSearch, OrganizationSearch): the parameter
/// missing, repeated or spelt with another case is 400 `BAD_REQUEST`; a missing or blank system
/// or an empty value is 422 `INVALID_PARAMETER`; another system is 400
/// `INVALID_IDENTIFIER_SYSTEM`. Every other parameter (`_format`, `_count`, `_sort` ...) is
/// ignored (SPEC 2.12). The value is returned as sent; checking its format is the caller's.
pub fn identifier_value<'q>(query: &'q QueryParams, system: &str) -> Result<&'q str, ApiError> {
    if let Some((misspelt, _)) = query
        .iter()
        .find(|(name, _)| *name != IDENTIFIER && name.eq_ignore_ascii_case(IDENTIFIER))
    {
        return Err(ApiError::bad_request(format!(
            "The search parameter '{misspelt}' is not supported: parameter names are case-sensitive; use '{IDENTIFIER}'"
        )));
    }
    let mut values = query.all(IDENTIFIER);
    let (Some(token), None) = (values.next(), values.next()) else {
        return Err(ApiError::bad_request(match query.count(IDENTIFIER) {
            0 => format!("The search parameter '{IDENTIFIER}' ({system}|value) is required"),
            n => format!("The search parameter '{IDENTIFIER}' must be sent once, not {n} times"),
        }));
    };
    let Some((sent_system, value)) = token.split_once('|') else {
        return Err(ApiError::invalid_parameter(format!(
            "The {IDENTIFIER} parameter '{token}' has no system: send {system}|value"
        )));
    };
    if sent_system.trim().is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "The {IDENTIFIER} parameter '{token}' has a blank system: send {system}|value"
        )));
    }
    if value.trim().is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "The {IDENTIFIER} parameter '{token}' has no value: send {system}|value"
        )));
    }
    if sent_system != system {
        return Err(ApiError::new(
            SpineCode::InvalidIdentifierSystem,
            format!(
                "The identifier system '{sent_system}' is not supported for this search; use {system}"
            ),
        ));
    }
    Ok(value)
}

/// A searchset Bundle of `resources`, in order (SPEC 2.11: no `total`, no `link`, no
/// `fullUrl`; an empty result has no `entry` at all).
pub fn searchset(resources: impl IntoIterator<Item = Resource>) -> Bundle {
    Bundle {
        r#type: "searchset".to_owned(),
        entry: resources
            .into_iter()
            .map(|resource| BundleEntry {
                resource: Some(resource),
                ..BundleEntry::default()
            })
            .collect(),
        ..Bundle::default()
    }
}

/// A searchset Bundle claiming `GPConnect-Searchset-Bundle-1` (SPEC 3.4: the register answer).
pub fn profiled_searchset(resources: impl IntoIterator<Item = Resource>) -> Bundle {
    Bundle {
        meta: Some(Meta {
            profile: vec![SEARCHSET_BUNDLE_PROFILE.to_owned()],
            ..Meta::default()
        }),
        ..searchset(resources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NHS: &str = "https://fhir.nhs.uk/Id/nhs-number";

    fn check(raw: &str) -> Result<String, (u16, &'static str)> {
        let query = QueryParams::parse(Some(raw)).unwrap();
        identifier_value(&query, NHS)
            .map(str::to_owned)
            .map_err(|e| (e.status().as_u16(), e.code().code()))
    }

    #[test]
    fn one_identifier_with_the_supported_system_gives_its_value() {
        assert_eq!(
            check("identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9658218873"),
            Ok("9658218873".to_owned())
        );
        assert_eq!(
            check("_format=xml&identifier=https://fhir.nhs.uk/Id/nhs-number|1&_count=1&_sort=x"),
            Ok("1".to_owned())
        );
    }

    #[test]
    fn missing_repeated_or_miscased_parameters_are_bad_requests() {
        let bad = Err((400, "BAD_REQUEST"));
        assert_eq!(check(""), bad);
        assert_eq!(check("_count=1"), bad);
        assert_eq!(
            check("Identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873"),
            bad
        );
        assert_eq!(
            check(
                "identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873&IDENTIFIER=https://fhir.nhs.uk/Id/nhs-number|9658218873"
            ),
            bad
        );
        assert_eq!(
            check(
                "identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873&identifier=https://fhir.nhs.uk/Id/nhs-number|9658218865"
            ),
            bad
        );
    }

    #[test]
    fn missing_system_or_value_is_an_invalid_parameter() {
        let invalid = Err((422, "INVALID_PARAMETER"));
        assert_eq!(check("identifier=9658218865"), invalid);
        assert_eq!(check("identifier=%7C9658218873"), invalid);
        assert_eq!(
            check("identifier=https://fhir.nhs.uk/Id/nhs-number%7C"),
            invalid
        );
        assert_eq!(check("identifier="), invalid);
        assert_eq!(check("identifier=%20%7C%20"), invalid);
    }

    #[test]
    fn another_system_is_an_invalid_identifier_system() {
        assert_eq!(
            check("identifier=https://fhir.nhs.uk/Id/sds-user-id%7CG13579135"),
            Err((400, "INVALID_IDENTIFIER_SYSTEM"))
        );
    }

    #[test]
    fn an_empty_searchset_has_no_entry_and_the_register_one_claims_its_profile() {
        let empty = searchset(std::iter::empty());
        assert_eq!(empty.r#type, "searchset");
        assert!(empty.entry.is_empty() && empty.meta.is_none() && empty.total.is_none());
        let json =
            gpconnect_fhir::json::decode(&serde_json::to_vec(&Resource::from(empty)).unwrap())
                .unwrap();
        assert_eq!(json.resource_type(), "Bundle");
        let profiled = profiled_searchset(std::iter::empty());
        assert_eq!(
            profiled.meta.unwrap().profile,
            [SEARCHSET_BUNDLE_PROFILE.to_owned()]
        );
    }
}
