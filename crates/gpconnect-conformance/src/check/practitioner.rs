//! Practitioner body checks (ATS 3.2, SPEC 4.4).

use serde_json::Value;

use super::elements::{
    absent, array, identifiers, profile, text, GMP_SYSTEM, HUMAN_LANGUAGE_SYSTEM,
    PRACTITIONER_PROFILE, SDS_ROLE_SYSTEM, SDS_USER_SYSTEM,
};
use crate::verdict::{ensure, Check};

/// What a Practitioner is expected to be.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Expected<'a> {
    /// Its SDS user id, when known.
    pub(crate) sds_user_id: Option<&'a str>,
    /// How many role profile ids it carries, when known.
    pub(crate) role_profiles: Option<usize>,
    /// Whether it came in a bundle (then `meta.versionId` is required).
    pub(crate) bundled: bool,
}

/// The Practitioner checks of ATS 3.2: metadata, identifier systems, SDS user id and role
/// profile count, exactly one name with a family name, nothing SHALL NOT, communication
/// codings, gender.
pub(crate) fn practitioner(practitioner: &Value, expected: Expected<'_>) -> Check {
    super::elements::id(practitioner)?;
    profile(practitioner, PRACTITIONER_PROFILE, expected.bundled)?;
    for identifier in array(&practitioner["identifier"]) {
        ensure!(
            [SDS_USER_SYSTEM, SDS_ROLE_SYSTEM, GMP_SYSTEM]
                .iter()
                .any(|s| identifier["system"] == *s),
            "Practitioner identifier system {} is not allowed",
            identifier["system"]
        );
    }
    let sds = identifiers(practitioner, SDS_USER_SYSTEM);
    ensure!(
        sds.len() <= 1,
        "the Practitioner has {} SDS user ids",
        sds.len()
    );
    if let Some(expected_sds) = expected.sds_user_id {
        ensure!(
            sds.len() == 1 && sds[0]["value"] == expected_sds,
            "the Practitioner's SDS user id is {}, expected {expected_sds}",
            sds.first().map_or(Value::Null, |i| i["value"].clone())
        );
    }
    let roles = identifiers(practitioner, SDS_ROLE_SYSTEM);
    for role in &roles {
        ensure!(
            text(&role["value"]).is_some(),
            "a role profile id has no value"
        );
    }
    if let Some(count) = expected.role_profiles {
        ensure!(
            roles.len() == count,
            "the Practitioner has {} role profile ids, expected {count}",
            roles.len()
        );
    }
    let names = array(&practitioner["name"]);
    ensure!(
        names.len() == 1 && text(&names[0]["family"]).is_some(),
        "the Practitioner must have exactly one name with a family name"
    );
    not_in_use(practitioner)?;
    for communication in array(&practitioner["communication"]) {
        let codings = array(&communication["coding"]);
        ensure!(
            codings.len() <= 1 && codings.iter().all(|c| c["system"] == HUMAN_LANGUAGE_SYSTEM),
            "a Practitioner communication is not one CareConnect-HumanLanguage-1 coding"
        );
    }
    if let Some(gender) = practitioner["gender"].as_str() {
        ensure!(
            ["male", "female", "other", "unknown"].contains(&gender),
            "Practitioner gender {gender:?} is not a valid code"
        );
    }
    Ok(())
}

/// The elements a Practitioner must not carry (SPEC 4.4).
pub(crate) fn not_in_use(practitioner: &Value) -> Check {
    absent(
        practitioner,
        &["telecom", "address", "birthDate", "photo", "qualification"],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn role_profile_counts_and_forbidden_elements() {
        let p = json!({
            "resourceType": "Practitioner", "id": "3",
            "meta": {"profile": [PRACTITIONER_PROFILE]},
            "identifier": [
                {"system": SDS_USER_SYSTEM, "value": "G22345655"},
                {"system": SDS_ROLE_SYSTEM, "value": "1"},
                {"system": SDS_ROLE_SYSTEM, "value": "2"}
            ],
            "name": [{"family": "Siddiqui"}]
        });
        let expected = Expected {
            sds_user_id: Some("G22345655"),
            role_profiles: Some(2),
            bundled: false,
        };
        practitioner(&p, expected).unwrap();
        assert!(practitioner(
            &p,
            Expected {
                role_profiles: Some(1),
                ..expected
            }
        )
        .is_err());
        let mut with_phone = p.clone();
        with_phone["telecom"] = json!([{"system": "phone", "value": "1"}]);
        assert!(practitioner(&with_phone, expected).is_err());
    }
}
