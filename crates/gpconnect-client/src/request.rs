//! What one interaction sends: verb, path, query, body and conditional headers, and how that
//! becomes an HTTP request (URL through the SSP or direct, SSP headers, JWT, negotiation).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Resource;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything RFC 3986 does not list as unreserved (`A-Z a-z 0-9 - . _ ~`) is percent-encoded in
/// query names and values, so `|` travels as `%7C`, `+` as `%2B` (a raw `+` would be read as a
/// space by form decoders: SPEC 2.10) and `:` as `%3A`, as the assurance suite sends them
/// (ATS 1.3).
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes query parameters in order (names may repeat), e.g.
/// `identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9658218865`.
pub fn encode_query<N: AsRef<str>, V: AsRef<str>>(params: &[(N, V)]) -> String {
    params
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                utf8_percent_encode(name.as_ref(), QUERY_COMPONENT),
                utf8_percent_encode(value.as_ref(), QUERY_COMPONENT)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// One interaction's request, before the per-attempt parts (trace id, JWT) are added.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    /// The interaction (verb, `Ssp-InteractionID`, scope).
    pub(crate) interaction: Interaction,
    /// The path relative to the service root, without a leading `/` (e.g. `Patient/1`).
    pub(crate) path: String,
    /// Query parameters, in order.
    pub(crate) query: Vec<(String, String)>,
    /// The body of a POST or PUT.
    pub(crate) body: Option<Resource>,
    /// The version id to send as `If-Match: W/"<version>"` (SPEC 2.7).
    pub(crate) if_match: Option<String>,
}

impl RequestSpec {
    /// A request with no query, body or condition.
    pub(crate) fn new(interaction: Interaction, path: impl Into<String>) -> Self {
        Self {
            interaction,
            path: path.into(),
            query: Vec::new(),
            body: None,
            if_match: None,
        }
    }

    /// Adds a query parameter (repeatable).
    pub(crate) fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub(crate) fn body(mut self, resource: impl Into<Resource>) -> Self {
        self.body = Some(resource.into());
        self
    }

    /// Sets the `If-Match` version.
    pub(crate) fn if_match(mut self, version_id: Option<String>) -> Self {
        self.if_match = version_id;
        self
    }

    /// The URL: `{base}/{path}?{query}`, or `{ssp}/{base}/{path}?{query}` through the SSP
    /// (SPEC 2.2).
    pub(crate) fn url(&self, base_url: &str, ssp_url_prefix: Option<&str>) -> String {
        let mut url = match ssp_url_prefix {
            Some(prefix) => format!("{prefix}/{base_url}/{}", self.path),
            None => format!("{base_url}/{}", self.path),
        };
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&encode_query(&self.query));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_offsets_are_percent_encoded_per_rfc_3986() {
        assert_eq!(
            encode_query(&[("identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218865")]),
            "identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9658218865"
        );
        assert_eq!(
            encode_query(&[("start", "ge2026-07-01T09:00:00+01:00")]),
            "start=ge2026-07-01T09%3A00%3A00%2B01%3A00"
        );
        assert_eq!(
            encode_query(&[
                ("_include:recurse", "Schedule:actor:Location"),
                ("searchFilter", "a b~c.d_e-f"),
            ]),
            "_include%3Arecurse=Schedule%3Aactor%3ALocation&searchFilter=a%20b~c.d_e-f"
        );
    }

    #[test]
    fn repeated_parameters_keep_their_order() {
        assert_eq!(
            encode_query(&[("start", "ge2026-07-01"), ("start", "le2026-07-02")]),
            "start=ge2026-07-01&start=le2026-07-02"
        );
    }

    #[test]
    fn the_ssp_prefix_goes_in_front_of_the_full_provider_url() {
        let spec = RequestSpec::new(Interaction::ReadPatient, "Patient/1");
        let base = "https://provider.example/A20047/STU3/1/gpconnect";
        assert_eq!(
            spec.url(base, None),
            "https://provider.example/A20047/STU3/1/gpconnect/Patient/1"
        );
        assert_eq!(
            spec.url(base, Some("https://ssp.example")),
            "https://ssp.example/https://provider.example/A20047/STU3/1/gpconnect/Patient/1"
        );
        let search = RequestSpec::new(Interaction::SearchPatient, "Patient")
            .param("identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218865");
        assert!(search.url(base, None).ends_with(
            "/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9658218865"
        ));
    }
}
