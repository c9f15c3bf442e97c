//! The provider's routing table (SPEC 2.4): which interactions a verb and a path relative to the
//! practice base (`/{ODS}/STU3/1/gpconnect`) can be. Paths are case-sensitive (SPEC 2.2).
//!
//! The pipeline uses it before any handler runs, to check `Ssp-InteractionID` and the JWT scope
//! against the route and to answer unknown paths and wrong verbs with an OperationOutcome
//! (ATS Http.feature). Handlers are mounted on the same paths by each resource's `router()`.

use std::borrow::Cow;

use gpconnect_domain::Interaction;
use http::Method;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::ApiError;

/// The path between the practice ODS code and the practice-relative path (SPEC 2.2:
/// `[ODS_CODE]/STU3/1/gpconnect`, no trailing `/`).
pub const BASE_SUFFIX: &str = "STU3/1/gpconnect";

/// The practice's service root path, e.g. `/A20047/STU3/1/gpconnect`.
pub fn base_path(ods: &str) -> String {
    format!("/{ods}/{BASE_SUFFIX}")
}

/// Splits `/{ODS}/STU3/1/gpconnect/rest` into the ODS segment and `/rest` (empty for the
/// service root itself).
pub fn split_base(path: &str) -> Option<(&str, &str)> {
    let (ods, rest) = path.strip_prefix('/')?.split_once('/')?;
    let rest = rest.strip_prefix(BASE_SUFFIX)?;
    (!ods.is_empty() && (rest.is_empty() || rest.starts_with('/'))).then_some((ods, rest))
}

/// What a path segment must keep percent-encoded: everything but RFC 3986 `pchar`
/// (unreserved characters, sub-delims, `:` and `@`). Non-ASCII is always encoded.
const SEGMENT_ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// The path with each segment's percent-encoding normalised (SPEC 2.2: URLs are
/// percent-encoded per RFC 3986; RFC 3986 6.2.2.2), so that the routing table sees what the
/// consumer meant: characters a segment may carry as they are are decoded
/// (`%24gpc.registerpatient` is `$gpc.registerpatient`, `%50atient` is `Patient`), everything
/// else is (re-)encoded in one form, and an encoded `/` (`%2F`) never splits a segment. A `%`
/// that starts no escape is taken as a literal percent sign; a segment that does not decode to
/// UTF-8 is kept as sent.
pub fn normalize_path(path: &str) -> Cow<'_, str> {
    if !path.contains('%') {
        return Cow::Borrowed(path);
    }
    let segments: Vec<Cow<'_, str>> = path
        .split('/')
        .map(|segment| match percent_decode_str(segment).decode_utf8() {
            Ok(decoded) => Cow::Owned(utf8_percent_encode(&decoded, SEGMENT_ENCODED).to_string()),
            Err(_) => Cow::Borrowed(segment),
        })
        .collect();
    Cow::Owned(segments.join("/"))
}

/// The operation `POST /Patient/$gpc.registerpatient` (SPEC 3.4).
pub const REGISTER_PATIENT_OPERATION: &str = "$gpc.registerpatient";

const RESOURCE_TYPES: [&str; 6] = [
    "Patient",
    "Practitioner",
    "Organization",
    "Location",
    "Slot",
    "Appointment",
];

/// The interactions `method` on `path` (relative to the practice base) can be.
pub fn classify(method: &Method, path: &str) -> Result<&'static [Interaction], ApiError> {
    use Interaction::*;
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let by_method: &[(Method, &'static [Interaction])] = match segments.as_slice() {
        ["metadata"] => &[(Method::GET, &[ReadMetadata])],
        ["Patient"] => &[(Method::GET, &[SearchPatient])],
        ["Patient", REGISTER_PATIENT_OPERATION] => &[(Method::POST, &[RegisterPatient])],
        [resource, id] if id.starts_with('$') && RESOURCE_TYPES.contains(resource) => {
            return Err(ApiError::no_record_found(format!(
                "The operation '{id}' is not supported on {resource}"
            )));
        }
        [resource, ""] if RESOURCE_TYPES.contains(resource) => {
            return Err(ApiError::no_record_found(format!(
                "No {resource} logical id was given in the URL"
            )));
        }
        ["Patient", _] => &[(Method::GET, &[ReadPatient])],
        ["Patient", id, "Appointment"] if !id.is_empty() => {
            &[(Method::GET, &[SearchPatientAppointments])]
        }
        ["Practitioner"] => &[(Method::GET, &[SearchPractitioner])],
        ["Practitioner", _] => &[(Method::GET, &[ReadPractitioner])],
        ["Organization"] => &[(Method::GET, &[SearchOrganization])],
        ["Organization", _] => &[(Method::GET, &[ReadOrganization])],
        ["Location", _] => &[(Method::GET, &[ReadLocation])],
        ["Slot"] => &[(Method::GET, &[SearchSlots])],
        ["Appointment"] => &[(Method::POST, &[BookAppointment])],
        // SPEC 2.4: amend and cancel share the verb and URL; Ssp-InteractionID tells them apart.
        ["Appointment", _] => &[
            (Method::GET, &[ReadAppointment]),
            (Method::PUT, &[AmendAppointment, CancelAppointment]),
        ],
        _ => {
            return Err(ApiError::no_record_found(format!(
                "There is no GP Connect endpoint at '{path}' (paths are case-sensitive)"
            )))
        }
    };
    by_method
        .iter()
        .find(|(m, _)| m == method)
        .map(|(_, interactions)| *interactions)
        .ok_or_else(|| {
            let allowed: Vec<&str> = by_method.iter().map(|(m, _)| m.as_str()).collect();
            ApiError::bad_request(format!(
                "The HTTP method {method} is not supported on '{path}'; use {}",
                allowed.join(" or ")
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::SpineCode;

    #[test]
    fn the_base_is_split_off() {
        assert_eq!(
            split_base("/A20047/STU3/1/gpconnect/metadata"),
            Some(("A20047", "/metadata"))
        );
        assert_eq!(
            split_base("/A20047/STU3/1/gpconnect/Patient/1/Appointment"),
            Some(("A20047", "/Patient/1/Appointment"))
        );
        assert_eq!(split_base("/A20047/STU3/1/gpconnect"), Some(("A20047", "")));
        assert_eq!(split_base("/A20047/STU3/1/gpconnectx/metadata"), None);
        assert_eq!(split_base("/A20047/stu3/1/gpconnect/metadata"), None);
        assert_eq!(split_base("/metadata"), None);
        assert_eq!(split_base("//STU3/1/gpconnect/metadata"), None);
    }

    #[test]
    fn every_catalogue_interaction_has_a_route() {
        let examples = [
            ("/metadata", Method::GET),
            ("/Patient", Method::GET),
            ("/Patient/1", Method::GET),
            ("/Patient/$gpc.registerpatient", Method::POST),
            ("/Practitioner", Method::GET),
            ("/Practitioner/1", Method::GET),
            ("/Organization", Method::GET),
            ("/Organization/1", Method::GET),
            ("/Location/1", Method::GET),
            ("/Slot", Method::GET),
            ("/Appointment", Method::POST),
            ("/Appointment/1", Method::GET),
            ("/Appointment/1", Method::PUT),
            ("/Patient/1/Appointment", Method::GET),
        ];
        let mut seen: Vec<Interaction> = examples
            .iter()
            .flat_map(|(p, m)| classify(m, p).unwrap().iter().copied())
            .collect();
        seen.sort_by_key(|i| i.id());
        let mut all = Interaction::ALL.to_vec();
        all.sort_by_key(|i| i.id());
        assert_eq!(seen, all);
        for i in Interaction::ALL {
            let (path, method) = examples
                .iter()
                .find(|(p, m)| classify(m, p).unwrap().contains(&i))
                .unwrap();
            assert_eq!(method.as_str(), i.method(), "{path}");
        }
    }

    #[test]
    fn percent_encoding_in_the_path_is_normalised() {
        assert_eq!(
            normalize_path("/A20047/STU3/1/gpconnect/Patient/%24gpc.registerpatient"),
            "/A20047/STU3/1/gpconnect/Patient/$gpc.registerpatient"
        );
        assert_eq!(normalize_path("/%50atient/%31"), "/Patient/1");
        // A separator or a percent sign inside a segment stays encoded (upper-case hex).
        assert_eq!(normalize_path("/Patient/1%2f2"), "/Patient/1%2F2");
        assert_eq!(normalize_path("/Patient/%2525"), "/Patient/%2525");
        assert_eq!(normalize_path("/Patient/caf%c3%a9"), "/Patient/caf%C3%A9");
        // Not UTF-8: left as sent. A `%` starting no escape is a literal percent sign.
        assert_eq!(normalize_path("/Patient/%FF"), "/Patient/%FF");
        assert_eq!(normalize_path("/Patient/100%"), "/Patient/100%25");
        assert_eq!(
            normalize_path("/Patient/$gpc.registerpatient"),
            "/Patient/$gpc.registerpatient"
        );

        let register = normalize_path("/Patient/%24gpc.registerpatient");
        assert_eq!(
            classify(&Method::POST, &register).unwrap(),
            &[Interaction::RegisterPatient]
        );
        let misspelt = normalize_path("/Patient/%24gpc.registerpatien");
        assert_eq!(
            classify(&Method::POST, &misspelt).unwrap_err().code(),
            gpconnect_domain::SpineCode::NoRecordFound
        );
    }

    #[test]
    fn unknown_paths_are_404_and_wrong_verbs_400() {
        let status = |m: Method, p: &str| classify(&m, p).unwrap_err().code();
        assert_eq!(status(Method::GET, "/Metadata"), SpineCode::NoRecordFound);
        assert_eq!(status(Method::GET, "/metadatas"), SpineCode::NoRecordFound);
        assert_eq!(status(Method::GET, "/Patient/"), SpineCode::NoRecordFound);
        assert_eq!(
            status(Method::POST, "/Patient/$gpc.registerpatien"),
            SpineCode::NoRecordFound
        );
        for m in [Method::PATCH, Method::DELETE, Method::OPTIONS, Method::POST] {
            assert_eq!(status(m, "/metadata"), SpineCode::BadRequest);
        }
    }
}
