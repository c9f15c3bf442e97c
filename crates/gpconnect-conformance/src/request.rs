//! Requests built the way the assurance suite builds them (ATS 1.3–1.4), with every part open
//! to change so that malformed requests can be sent: headers removed or replaced, JWT claims
//! removed or corrupted, a token that is not base64url at all, bodies in XML or with invalid
//! content.

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use reqwest::Method;
use serde_json::{Map, Value};

use crate::verdict::{Check, Failure};

/// `Ssp-TraceID`.
pub(crate) const TRACE_ID: &str = "Ssp-TraceID";
/// `Ssp-From`.
pub(crate) const FROM: &str = "Ssp-From";
/// `Ssp-To`.
pub(crate) const TO: &str = "Ssp-To";
/// `Ssp-InteractionId`.
pub(crate) const INTERACTION_ID: &str = "Ssp-InteractionId";

/// The bearer token a request carries.
#[derive(Debug, Clone)]
pub(crate) enum Token {
    /// An unsigned JWT with these claims (ATS 1.4), encoded when sent.
    Claims(Map<String, Value>),
    /// This exact text after `Bearer `.
    Raw(String),
}

/// A request body: a FHIR resource as JSON, sent in the format given (XML through the FHIR
/// codec).
#[derive(Debug, Clone)]
pub(crate) struct Body(pub(crate) Value, pub(crate) Format);

/// One request, before it is sent.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    /// Relative to the service root; may carry a query string of its own, sent as written.
    pub(crate) path: String,
    /// Parameters appended to the path, each name and value percent-encoded (ATS 1.3).
    pub(crate) query: Vec<(String, String)>,
    /// Header changes applied over the defaults, in order; `None` removes the header.
    pub(crate) headers: Vec<(String, Option<String>)>,
    pub(crate) token: Token,
    pub(crate) body: Option<Body>,
}

impl Call {
    /// A request for `interaction` on `path` with default headers and `claims`.
    pub(crate) fn new(
        interaction: Interaction,
        path: impl Into<String>,
        claims: Map<String, Value>,
    ) -> Self {
        let method = Method::from_bytes(interaction.method().as_bytes()).unwrap_or(Method::GET);
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: vec![(INTERACTION_ID.to_owned(), Some(interaction.id().to_owned()))],
            token: Token::Claims(claims),
            body: None,
        }
    }

    /// Sends it with another HTTP method.
    pub(crate) fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Adds a query parameter (repeatable, kept in order).
    pub(crate) fn param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Adds `_format` for `format`.
    pub(crate) fn format_param(self, format: Format) -> Self {
        self.param("_format", format.mime())
    }

    /// Sets (replaces) a header.
    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), Some(value.into())));
        self
    }

    /// Removes a header.
    pub(crate) fn without_header(mut self, name: &str) -> Self {
        self.headers.push((name.to_owned(), None));
        self
    }

    /// `Accept` for `format`.
    pub(crate) fn accept(self, format: Format) -> Self {
        self.header("Accept", format.mime())
    }

    /// A different `Ssp-InteractionId` (the JWT scope stays the interaction's).
    pub(crate) fn interaction_id(self, id: &str) -> Self {
        self.header(INTERACTION_ID, id)
    }

    /// Changes the JWT claims (no effect on a raw token).
    pub(crate) fn claims(mut self, edit: impl FnOnce(&mut Map<String, Value>)) -> Self {
        if let Token::Claims(claims) = &mut self.token {
            edit(claims);
        }
        self
    }

    /// Another `requested_scope`.
    pub(crate) fn scope(self, scope: &str) -> Self {
        self.claims(|c| {
            c.insert("requested_scope".into(), Value::from(scope));
        })
    }

    /// Sends this text as the bearer token.
    pub(crate) fn raw_token(mut self, token: impl Into<String>) -> Self {
        self.token = Token::Raw(token.into());
        self
    }

    /// A FHIR JSON body.
    pub(crate) fn json(self, body: &Value) -> Self {
        self.body(body, Format::Json)
    }

    /// A FHIR body in `format`, with the matching Content-Type.
    pub(crate) fn body(mut self, body: &Value, format: Format) -> Self {
        self.body = Some(Body(body.clone(), format));
        self
    }

    /// `If-Match: W/"<version>"`.
    pub(crate) fn if_match(self, version: &str) -> Self {
        self.header("If-Match", format!("W/\"{version}\""))
    }

    /// `Prefer: return=<what>`.
    pub(crate) fn prefer(self, what: &str) -> Self {
        self.header("Prefer", format!("return={what}"))
    }

    /// `Accept-Encoding: gzip`.
    pub(crate) fn gzip(self) -> Self {
        self.header("Accept-Encoding", "gzip")
    }

    /// Whether the request asks for gzip.
    pub(crate) fn asks_for_gzip(&self) -> bool {
        self.final_header("accept-encoding")
            .is_some_and(|v| v.contains("gzip"))
    }

    /// The value a header ends up with after the changes, if it was changed.
    pub(crate) fn final_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_deref())
    }

    /// The URL under `base_url` (no trailing `/`).
    pub(crate) fn url(&self, base_url: &str) -> String {
        let mut url = format!("{base_url}/{}", self.path);
        if !self.query.is_empty() {
            url.push(if self.path.contains('?') { '&' } else { '?' });
            url.push_str(&gpconnect_client::encode_query(&self.query));
        }
        url
    }

    /// The body bytes and their Content-Type.
    pub(crate) fn body_bytes(&self) -> Check<Option<(Vec<u8>, String)>> {
        match &self.body {
            None => Ok(None),
            Some(Body(value, Format::Json)) => Ok(Some((
                value.to_string().into_bytes(),
                Format::Json.mime().to_owned(),
            ))),
            Some(Body(value, Format::Xml)) => {
                let resource = gpconnect_fhir::json::decode_value(value.clone()).map_err(|e| {
                    Failure::new(format!("the suite cannot write this body as XML: {e}"))
                })?;
                let bytes = gpconnect_fhir::encode(&resource, Format::Xml).map_err(|e| {
                    Failure::new(format!("the suite cannot write this body as XML: {e}"))
                })?;
                Ok(Some((bytes, Format::Xml.mime().to_owned())))
            }
        }
    }

    /// The `Authorization` value.
    pub(crate) fn authorization(&self) -> String {
        match &self.token {
            Token::Raw(text) => format!("Bearer {text}"),
            Token::Claims(claims) => format!("Bearer {}", encode_jwt(claims)),
        }
    }
}

/// `base64url(header).base64url(payload).`: an unsigned JWT (SPEC 2.5).
pub(crate) fn encode_jwt(claims: &Map<String, Value>) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_parameters_are_encoded_after_the_path() {
        let call = Call::new(Interaction::SearchPatient, "Patient", Map::new())
            .param("identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218865")
            .format_param(Format::Xml);
        assert_eq!(
            call.url("http://p/A20047/STU3/1/gpconnect"),
            "http://p/A20047/STU3/1/gpconnect/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9658218865&_format=application%2Ffhir%2Bxml"
        );
        let raw = Call::new(
            Interaction::SearchPatientAppointments,
            "Patient/1/Appointment?start=ge2030-01-01",
            Map::new(),
        )
        .param("start", "le2030-01-02");
        assert_eq!(
            raw.url("http://p"),
            "http://p/Patient/1/Appointment?start=ge2030-01-01&start=le2030-01-02"
        );
    }

    #[test]
    fn header_changes_apply_in_order() {
        let call = Call::new(Interaction::ReadMetadata, "metadata", Map::new())
            .gzip()
            .interaction_id("urn:x");
        assert!(call.asks_for_gzip());
        assert_eq!(call.final_header("ssp-interactionid"), Some("urn:x"));
        let call = call.without_header("Accept-Encoding");
        assert!(!call.asks_for_gzip());
    }

    #[test]
    fn xml_bodies_go_through_the_fhir_codec() {
        let body =
            json!({"resourceType": "Parameters", "parameter": [{"name": "a", "valueString": "b"}]});
        let call = Call::new(
            Interaction::RegisterPatient,
            "Patient/$gpc.registerpatient",
            Map::new(),
        )
        .body(&body, Format::Xml);
        let (bytes, content_type) = call.body_bytes().unwrap().unwrap();
        assert_eq!(content_type, "application/fhir+xml");
        assert!(String::from_utf8(bytes).unwrap().contains("<Parameters"));
        let broken = Call::new(Interaction::RegisterPatient, "x", Map::new())
            .body(&json!({"resourceType": "Nope"}), Format::Xml);
        assert!(broken.body_bytes().is_err());
    }

    #[test]
    fn tokens_are_unsigned_jwts_or_raw_text() {
        let mut claims = Map::new();
        claims.insert("iss".into(), json!("x"));
        let call = Call::new(Interaction::ReadMetadata, "metadata", claims);
        let auth = call.authorization();
        assert!(auth.starts_with("Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."));
        assert!(auth.ends_with('.'));
        assert_eq!(call.raw_token("a.b").authorization(), "Bearer a.b");
    }
}
