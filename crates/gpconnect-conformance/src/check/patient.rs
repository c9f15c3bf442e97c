//! Patient body checks (ATS 3.1, SPEC 4.2).

use gpconnect_domain::NhsNumber;
use serde_json::Value;

use super::elements::{
    absent, array, extensions, has, reference_id, structure_definition, text,
    HUMAN_LANGUAGE_SYSTEM, NHS_COMMUNICATION, NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION,
    PATIENT_PROFILE, REGISTRATION_DETAILS,
};
use crate::context::Ctx;
use crate::verdict::{ensure, Check};

/// `CareConnect-NHSNumberVerificationStatus-1` (SPEC 4.3).
const VERIFICATION_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1";
const VERIFICATION_CODES: [(&str, &str); 8] = [
    ("01", "Number present and verified"),
    ("02", "Number present but not traced"),
    ("03", "Trace required"),
    ("04", "Trace attempted - No match or multiple match found"),
    (
        "05",
        "Trace needs to be resolved - (NHS number or patient detail conflict)",
    ),
    ("06", "Trace in progress"),
    ("07", "Number not present and trace not required"),
    ("08", "Trace postponed (baby under six weeks old)"),
];
/// `CareConnect-RegistrationType-1` (SPEC 4.9).
const REGISTRATION_TYPE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1";
const REGISTRATION_TYPES: [(&str, &str); 7] = [
    ("R", "Regular"),
    ("E", "Emergency"),
    ("IN", "Immediately necessary"),
    ("T", "Temporary"),
    ("P", "Private"),
    ("O", "Other"),
    ("S", "Synthetic Record"),
];
/// Extensions a Patient must not carry (SPEC 4.2).
const FORBIDDEN_EXTENSIONS: [&str; 5] = [
    structure_definition!("Extension-CareConnect-GPC-EthnicCategory-1"),
    structure_definition!("Extension-CareConnect-GPC-ReligiousAffiliation-1"),
    "http://hl7.org/fhir/StructureDefinition/patient-cadavericDonor",
    structure_definition!("Extension-CareConnect-GPC-ResidentialStatus-1"),
    structure_definition!("Extension-CareConnect-GPC-TreatmentCategory-1"),
];

/// `meta.profile` is CareConnect-GPC-Patient-1 and, in bundles, `meta.versionId` is set.
pub(crate) fn metadata(patient: &Value, bundled: bool) -> Check {
    super::elements::profile(patient, PATIENT_PROFILE, bundled)
}

/// At most one identifier: the NHS number `nhs` (Modulus 11), whose first extension is the
/// verification status with one coding from its value set (ATS 3.1).
pub(crate) fn identifiers(patient: &Value, nhs: &str) -> Check {
    let identifiers = array(&patient["identifier"]);
    ensure!(
        identifiers.len() <= 1,
        "the Patient has {} identifiers, expected at most one (the NHS number)",
        identifiers.len()
    );
    let Some(identifier) = identifiers.first() else {
        return Ok(());
    };
    ensure!(
        identifier["system"] == NHS_NUMBER_SYSTEM,
        "the Patient identifier system is {}, expected {NHS_NUMBER_SYSTEM}",
        identifier["system"]
    );
    let value = text(&identifier["value"]).unwrap_or_default();
    ensure!(
        NhsNumber::parse(value).is_ok(),
        "the Patient NHS number {value:?} fails the Modulus 11 check"
    );
    ensure!(
        value == nhs,
        "the Patient NHS number is {value}, expected {nhs}"
    );
    let first = array(&identifier["extension"]).first();
    ensure!(
        first.is_some_and(|e| e["url"] == NHS_NUMBER_VERIFICATION),
        "the NHS number's first extension is not NHSNumberVerificationStatus-1"
    );
    let codings = first
        .map(|e| array(&e["valueCodeableConcept"]["coding"]))
        .unwrap_or_default();
    ensure!(
        codings.len() == 1,
        "the NHS number verification status has {} codings, expected one",
        codings.len()
    );
    let coding = &codings[0];
    ensure!(
        coding["system"] == VERIFICATION_SYSTEM
            && VERIFICATION_CODES
                .iter()
                .any(|(c, d)| coding["code"] == *c && coding["display"] == *d),
        "the NHS number verification status {coding} is not in CareConnect-NHSNumberVerificationStatus-1"
    );
    Ok(())
}

/// Exactly one official name; every name has a use and a family name.
pub(crate) fn names(patient: &Value) -> Check {
    let names = array(&patient["name"]);
    let official = names.iter().filter(|n| n["use"] == "official").count();
    ensure!(
        official == 1,
        "the Patient has {official} official names, expected one"
    );
    for name in names {
        ensure!(
            text(&name["use"]).is_some() && text(&name["family"]).is_some(),
            "a Patient name lacks a use or a family name"
        );
    }
    Ok(())
}

/// Every telecom has a system, a value and a use.
pub(crate) fn telecom(patient: &Value) -> Check {
    for telecom in array(&patient["telecom"]) {
        ensure!(
            text(&telecom["system"]).is_some()
                && text(&telecom["value"]).is_some()
                && text(&telecom["use"]).is_some(),
            "a Patient telecom lacks a system, value or use"
        );
    }
    Ok(())
}

/// The elements and extensions a Patient must not carry (ATS 3.1 "not in use").
pub(crate) fn not_in_use(patient: &Value) -> Check {
    absent(
        patient,
        &[
            "maritalStatus",
            "multipleBirthBoolean",
            "multipleBirthInteger",
            "photo",
            "link",
            "animal",
            "deceasedBoolean",
        ],
    )?;
    for url in FORBIDDEN_EXTENSIONS {
        ensure!(
            extensions(patient, url).is_empty(),
            "the Patient must not carry the extension {url}"
        );
    }
    Ok(())
}

/// `communication[].language` has at most one coding, from CareConnect-HumanLanguage-1; a
/// contact's relationship is text only and its name has a use (ATS 3.1).
pub(crate) fn communication_and_contacts(patient: &Value) -> Check {
    for communication in array(&patient["communication"]) {
        let codings = array(&communication["language"]["coding"]);
        ensure!(
            codings.len() <= 1,
            "a communication language has several codings"
        );
        for coding in codings {
            ensure!(
                coding["system"] == HUMAN_LANGUAGE_SYSTEM,
                "a communication language is not from CareConnect-HumanLanguage-1"
            );
        }
    }
    for contact in array(&patient["contact"]) {
        for relationship in array(&contact["relationship"]) {
            ensure!(
                text(&relationship["text"]).is_some() && !has(relationship, "coding"),
                "a contact relationship must be text only (SPEC 2.11)"
            );
        }
        if has(contact, "name") {
            ensure!(
                text(&contact["name"]["use"]).is_some(),
                "a contact name has no use"
            );
        }
        for telecom in array(&contact["telecom"]) {
            ensure!(
                text(&telecom["use"]).is_some(),
                "a contact telecom has no use"
            );
        }
    }
    Ok(())
}

/// The RegistrationDetails extension: exactly one when `required`; `registrationPeriod`,
/// `registrationType` (from its code system) and `preferredBranchSurgery` at most once each;
/// no `registrationStatus` in a register response (ATS 3.1).
pub(crate) fn registration_details(patient: &Value, required: bool, registered: bool) -> Check {
    let details = extensions(patient, REGISTRATION_DETAILS);
    ensure!(
        details.len() <= 1,
        "the Patient has {} RegistrationDetails extensions",
        details.len()
    );
    ensure!(
        !required || details.len() == 1,
        "the Patient has no RegistrationDetails extension"
    );
    let Some(details) = details.first() else {
        return Ok(());
    };
    let part = |name: &str| extensions(details, name);
    ensure!(
        part("registrationPeriod").len() <= 1 && part("registrationType").len() <= 1,
        "RegistrationDetails repeats registrationPeriod or registrationType"
    );
    for period in part("registrationPeriod") {
        ensure!(
            has(period, "valuePeriod"),
            "registrationPeriod is not a Period"
        );
    }
    for kind in part("registrationType") {
        for coding in array(&kind["valueCodeableConcept"]["coding"]) {
            ensure!(
                coding["system"] == REGISTRATION_TYPE_SYSTEM
                    && REGISTRATION_TYPES
                        .iter()
                        .any(|(c, d)| coding["code"] == *c && coding["display"] == *d),
                "registrationType {coding} is not from CareConnect-RegistrationType-1"
            );
        }
    }
    let branches = part("preferredBranchSurgery");
    ensure!(
        branches.len() <= 1,
        "RegistrationDetails has several preferredBranchSurgery"
    );
    for branch in branches {
        ensure!(
            has(branch, "valueReference"),
            "preferredBranchSurgery is not a Reference"
        );
    }
    if registered {
        ensure!(
            part("registrationStatus").is_empty(),
            "a register response must not carry registrationStatus"
        );
    }
    Ok(())
}

/// `deceased[x]`, if any, is a dateTime; gender is present.
pub(crate) fn deceased_and_gender(patient: &Value) -> Check {
    ensure!(
        !has(patient, "deceasedBoolean"),
        "deceased must be a dateTime"
    );
    ensure!(
        text(&patient["gender"]).is_some(),
        "the Patient has no gender"
    );
    Ok(())
}

/// `generalPractitioner` (at most one, a Practitioner) and `managingOrganization` can be
/// read (ATS 3.1).
pub(crate) async fn references(ctx: &Ctx, patient: &Value) -> Check {
    let practitioners = array(&patient["generalPractitioner"]);
    ensure!(
        practitioners.len() <= 1,
        "the Patient has {} generalPractitioner",
        practitioners.len()
    );
    for gp in practitioners {
        let reference = text(&gp["reference"]).unwrap_or_default();
        ensure!(
            reference_id(reference, "Practitioner").is_some(),
            "generalPractitioner {reference:?} is not Practitioner/{{id}}"
        );
        ctx.resolve(reference).await?;
    }
    let organisation = text(&patient["managingOrganization"]["reference"]).unwrap_or_default();
    if has(patient, "managingOrganization") {
        ensure!(
            reference_id(organisation, "Organization").is_some(),
            "managingOrganization {organisation:?} is not Organization/{{id}}"
        );
        ctx.resolve(organisation).await?;
    }
    Ok(())
}

/// The register response's `preferredBranchSurgery`, if any, is a readable Location.
pub(crate) async fn preferred_branch(ctx: &Ctx, patient: &Value) -> Check {
    for details in extensions(patient, REGISTRATION_DETAILS) {
        for branch in extensions(details, "preferredBranchSurgery") {
            let reference = text(&branch["valueReference"]["reference"]).unwrap_or_default();
            ensure!(
                reference_id(reference, "Location").is_some(),
                "preferredBranchSurgery {reference:?} is not Location/{{id}}"
            );
            ctx.resolve(reference).await?;
        }
    }
    Ok(())
}

/// The whole Patient conformance check of the read and search scenarios (ATS PatientRead 9,
/// PatientSearch O13).
pub(crate) async fn conformance(ctx: &Ctx, patient: &Value, nhs: &str, bundled: bool) -> Check {
    super::elements::id(patient)?;
    metadata(patient, bundled)?;
    identifiers(patient, nhs)?;
    names(patient)?;
    telecom(patient)?;
    deceased_and_gender(patient)?;
    not_in_use(patient)?;
    communication_and_contacts(patient)?;
    registration_details(patient, false, false)?;
    references(ctx, patient).await
}

/// A register response's Patient matches what was sent (ATS 3.1): birth date, gender when
/// sent, one active official name holding every given name sent and the family name
/// (ignoring case).
pub(crate) fn demographics(patient: &Value, sent: &Value) -> Check {
    ensure!(
        patient["birthDate"] == sent["birthDate"],
        "birthDate is {}, sent {}",
        patient["birthDate"],
        sent["birthDate"]
    );
    if has(sent, "gender") {
        ensure!(
            patient["gender"] == sent["gender"],
            "gender is {}, sent {}",
            patient["gender"],
            sent["gender"]
        );
    }
    let today = gpconnect_domain::UkDateTime::now().uk_date().to_string();
    let official: Vec<&Value> = array(&patient["name"])
        .iter()
        .filter(|n| n["use"] == "official")
        .filter(|n| {
            let end = n["period"]["end"].as_str().unwrap_or("9999");
            end.get(..10).unwrap_or(end) >= today.as_str()
        })
        .collect();
    ensure!(
        official.len() == 1,
        "the registered Patient has {} active official names, expected one",
        official.len()
    );
    let Some(sent_name) = array(&sent["name"]).iter().find(|n| n["use"] == "official") else {
        return Ok(());
    };
    let family = text(&official[0]["family"]).unwrap_or_default();
    let sent_family = text(&sent_name["family"]).unwrap_or_default();
    ensure!(
        family.eq_ignore_ascii_case(sent_family),
        "family name is {family:?}, sent {sent_family:?}"
    );
    let given = array(&official[0]["given"]);
    for name in array(&sent_name["given"]) {
        ensure!(
            given.contains(name),
            "the given name {name} sent is not in the registered Patient's official name"
        );
    }
    Ok(())
}

/// The register response's optional elements (ATS 3.1): NHSCommunication at most once with
/// one language and at most one of each flag; telecoms with system and value; names with a
/// use.
pub(crate) fn optional_elements(patient: &Value) -> Check {
    let communications = extensions(patient, NHS_COMMUNICATION);
    ensure!(
        communications.len() <= 1,
        "the Patient has {} NHSCommunication extensions",
        communications.len()
    );
    for communication in communications {
        let languages = extensions(communication, "language");
        ensure!(
            languages.len() == 1,
            "NHSCommunication has {} languages, expected one",
            languages.len()
        );
        ensure!(
            array(&languages[0]["valueCodeableConcept"]["coding"])
                .iter()
                .all(|c| c["system"] == HUMAN_LANGUAGE_SYSTEM),
            "the NHSCommunication language is not from CareConnect-HumanLanguage-1"
        );
        for flag in ["preferred", "interpreterRequired"] {
            let flags = extensions(communication, flag);
            ensure!(flags.len() <= 1, "NHSCommunication repeats {flag}");
            ensure!(
                flags.iter().all(|f| f["valueBoolean"].is_boolean()),
                "NHSCommunication {flag} is not a boolean"
            );
        }
    }
    for telecom in array(&patient["telecom"]) {
        ensure!(
            text(&telecom["system"]).is_some() && text(&telecom["value"]).is_some(),
            "a telecom lacks a system or value"
        );
    }
    for name in array(&patient["name"]) {
        ensure!(text(&name["use"]).is_some(), "a name has no use");
    }
    if has(patient, "language") {
        ensure!(
            text(&patient["language"]).is_some(),
            "language is not a BCP-47 code"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patient() -> Value {
        json!({
            "resourceType": "Patient", "id": "1",
            "meta": {"versionId": "1", "profile": [PATIENT_PROFILE]},
            "identifier": [{
                "extension": [{"url": NHS_NUMBER_VERIFICATION, "valueCodeableConcept": {"coding": [
                    {"system": VERIFICATION_SYSTEM, "code": "01", "display": "Number present and verified"}
                ]}}],
                "system": NHS_NUMBER_SYSTEM, "value": "9658218865"
            }],
            "name": [{"use": "official", "family": "Penberthy", "given": ["Harold"]}],
            "gender": "male", "birthDate": "1948-03-14"
        })
    }

    #[test]
    fn a_conformant_patient_passes() {
        let p = patient();
        metadata(&p, true).unwrap();
        identifiers(&p, "9658218865").unwrap();
        names(&p).unwrap();
        not_in_use(&p).unwrap();
        registration_details(&p, false, false).unwrap();
        demographics(&p, &p).unwrap();
    }

    #[test]
    fn each_rule_catches_its_defect() {
        let mut two_ids = patient();
        two_ids["identifier"]
            .as_array_mut()
            .unwrap()
            .push(json!({"system": "x", "value": "y"}));
        assert!(identifiers(&two_ids, "9658218865").is_err());
        assert!(identifiers(&patient(), "9658218873").is_err());
        let mut bad_status = patient();
        bad_status["identifier"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] =
            json!("09");
        assert!(identifiers(&bad_status, "9658218865").is_err());
        let mut married = patient();
        married["maritalStatus"] = json!({"text": "M"});
        assert!(not_in_use(&married).is_err());
        let mut no_official = patient();
        no_official["name"][0]["use"] = json!("usual");
        assert!(names(&no_official).is_err());
        assert!(registration_details(&patient(), true, false).is_err());
        let mut shouted = patient();
        shouted["name"][0]["family"] = json!("PENBERTHY");
        assert!(demographics(&shouted, &patient()).is_ok());
        shouted["birthDate"] = json!("1948-03-15");
        assert!(demographics(&shouted, &patient()).is_err());
    }
}
