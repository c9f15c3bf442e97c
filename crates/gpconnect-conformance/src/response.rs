//! A provider's answer, read the way the assurance suite's client reads it (ATS 1.6): headers
//! must be single-valued, gzip only when asked for, a body is FHIR only under a FHIR
//! Content-Type, and FHIR bodies are parsed strictly.

use std::io::Read;

use gpconnect_fhir::Format;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::verdict::{ensure, fail, Check, Failure};

/// One answer, body decompressed.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// Reads an answer. Fails as the suite's client would: a header given more than once, or
    /// a gzip body the request did not ask for (ATS 1.6).
    pub(crate) fn read(
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
        asked_for_gzip: bool,
    ) -> Check<Self> {
        for name in headers.keys() {
            ensure!(
                headers.get_all(name).iter().count() == 1,
                "response header {name} is given more than once (ATS 1.6: headers must be single-valued)"
            );
        }
        let gzipped = headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
        let body = if gzipped {
            ensure!(
                asked_for_gzip,
                "the body is gzip-compressed but the request did not send Accept-Encoding: gzip"
            );
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(body.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| Failure::new(format!("Content-Encoding gzip, but {e}")))?;
            out
        } else {
            body
        };
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    /// A header's value, if present and text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A short description of the answer for failure messages: status, and the Spine code and
    /// diagnostics of an OperationOutcome or the start of the body.
    pub(crate) fn summary(&self) -> String {
        let mut out = format!("HTTP {}", self.status);
        match self.resource() {
            Ok(r) if r["resourceType"] == "OperationOutcome" => {
                let issue = &r["issue"][0];
                let code = issue["details"]["coding"][0]["code"]
                    .as_str()
                    .unwrap_or("?");
                out.push_str(&format!(" {code}"));
                if let Some(d) = issue["diagnostics"].as_str() {
                    out.push_str(&format!(" ({})", shorten(d, 120)));
                }
            }
            Ok(r) => out.push_str(&format!(" {}", r["resourceType"].as_str().unwrap_or("?"))),
            Err(_) if self.body.is_empty() => out.push_str(" (empty body)"),
            Err(_) => out.push_str(&format!(
                " {}",
                shorten(&String::from_utf8_lossy(&self.body), 120)
            )),
        }
        out
    }

    /// Requires exactly this status.
    pub(crate) fn status(&self, expected: u16) -> Check {
        ensure!(
            self.status == expected,
            "expected HTTP {expected}, got {}",
            self.summary()
        );
        Ok(())
    }

    /// Requires a status other than 200 ("indicate failure", ATS 1.6).
    pub(crate) fn not_ok(&self) -> Check {
        ensure!(
            self.status != 200,
            "expected a failure, got {}",
            self.summary()
        );
        Ok(())
    }

    /// The FHIR format of the body, from a Content-Type whose media type is exactly
    /// `application/fhir+json` or `application/fhir+xml` (parameters ignored, ATS 1.6).
    pub(crate) fn format(&self) -> Check<Format> {
        let content_type = self
            .header("content-type")
            .ok_or_else(|| Failure::new(format!("no Content-Type ({})", self.summary_raw())))?;
        let media = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "application/fhir+json" => Ok(Format::Json),
            "application/fhir+xml" => Ok(Format::Xml),
            _ => fail!("Content-Type {content_type:?} is not a FHIR media type"),
        }
    }

    /// Requires the body in `format`.
    pub(crate) fn expect_format(&self, format: Format) -> Check {
        let actual = self.format()?;
        ensure!(
            actual == format,
            "expected {}, got {}",
            format.mime(),
            actual.mime()
        );
        Ok(())
    }

    /// The body parsed strictly as FHIR in its Content-Type's format (ATS 1.6: the suite's
    /// parser rejects unknown elements and invalid values), as FHIR JSON.
    pub(crate) fn resource(&self) -> Check<Value> {
        let format = self.format()?;
        let resource = gpconnect_fhir::decode(&self.body, format).map_err(|e| {
            Failure::new(format!(
                "the {} body is not valid FHIR: {}",
                format.mime(),
                shorten(&e.to_string(), 160)
            ))
        })?;
        serde_json::to_value(resource)
            .map_err(|e| Failure::new(format!("cannot read the resource: {e}")))
    }

    /// The body as a resource of `resource_type`.
    pub(crate) fn resource_of(&self, resource_type: &str) -> Check<Value> {
        let resource = self.resource()?;
        ensure!(
            resource["resourceType"] == resource_type,
            "expected a {resource_type}, got {}",
            resource["resourceType"]
        );
        Ok(resource)
    }

    fn summary_raw(&self) -> String {
        format!("HTTP {}, {} body bytes", self.status, self.body.len())
    }
}

/// `text` cut to `max` characters.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.replace(['\n', '\r'], " ");
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, CONTENT_ENCODING, CONTENT_TYPE};
    use std::io::Write;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn repeated_headers_fail_as_in_the_suites_client() {
        let map = headers(&[("vary", "accept"), ("vary", "accept-encoding")]);
        let error = Reply::read(200, map, Vec::new(), false).unwrap_err();
        assert!(error.reason().contains("vary"), "{error}");
    }

    #[test]
    fn gzip_is_read_only_when_asked_for() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder
            .write_all(b"{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}")
            .unwrap();
        let gz = encoder.finish().unwrap();
        let mut map = HeaderMap::new();
        map.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        map.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/fhir+json;charset=utf-8"),
        );
        assert!(Reply::read(200, map.clone(), gz.clone(), false).is_err());
        let reply = Reply::read(200, map, gz, true).unwrap();
        assert_eq!(reply.resource_of("Bundle").unwrap()["type"], "searchset");
    }

    #[test]
    fn only_fhir_media_types_are_parsed() {
        let body = b"{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}".to_vec();
        for (content_type, ok) in [
            ("application/fhir+json", true),
            ("application/fhir+json; charset=utf-8", true),
            ("application/json", false),
            ("application/json+fhir", false),
        ] {
            let mut map = HeaderMap::new();
            map.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            let reply = Reply::read(200, map, body.clone(), false).unwrap();
            assert_eq!(reply.resource().is_ok(), ok, "{content_type}");
        }
    }

    #[test]
    fn unknown_elements_make_the_body_unreadable() {
        let mut map = HeaderMap::new();
        map.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/fhir+json"),
        );
        let body = b"{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"extra\":1}".to_vec();
        let reply = Reply::read(200, map, body, false).unwrap();
        assert!(reply
            .resource()
            .unwrap_err()
            .reason()
            .contains("not valid FHIR"));
    }
}
