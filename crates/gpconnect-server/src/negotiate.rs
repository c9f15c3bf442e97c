//! Content negotiation (SPEC 2.6): the response format is chosen by `_format`, then `Accept`,
//! then the request's `Content-Type`, then JSON. A format that is asked for but not supported is
//! a 415. POST and PUT bodies must be FHIR JSON or XML.

use http::header::{ACCEPT, CONTENT_TYPE};
use http::HeaderMap;

use crate::error::ApiError;
use crate::query::QueryParams;
use crate::Format;

/// The `Content-Type` of a FHIR answer: the FHIR mime type with `charset=utf-8` and no space
/// before the parameter (SPEC 2.6).
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/fhir+json;charset=utf-8",
        Format::Xml => "application/fhir+xml;charset=utf-8",
    }
}

/// The format named by a mime type or `_format` value, parameters ignored. The FHIR types, the
/// generic JSON/XML types, the STU3 shorthands `json`/`xml` and the DSTU2 names are understood.
pub fn parse_mime(value: &str) -> Option<Format> {
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/fhir+json" | "application/json+fhir" | "application/json" | "json" => {
            Some(Format::Json)
        }
        "application/fhir+xml"
        | "application/xml+fhir"
        | "application/xml"
        | "text/xml"
        | "xml" => Some(Format::Xml),
        _ => None,
    }
}

/// The format the answer is written in.
pub fn response_format(query: &QueryParams, headers: &HeaderMap) -> Result<Format, ApiError> {
    if let Some(asked) = query.first("_format") {
        return parse_mime(asked).ok_or_else(|| {
            ApiError::unsupported_media_type(format!(
                "The _format '{asked}' is not supported; use application/fhir+json or application/fhir+xml"
            ))
        });
    }
    let accept: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .collect();
    if !accept.is_empty() {
        return from_accept(&accept.join(",")).ok_or_else(|| {
            ApiError::unsupported_media_type(format!(
                "The Accept header '{}' names no supported format; use application/fhir+json or application/fhir+xml",
                accept.join(",")
            ))
        });
    }
    let sent = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_mime);
    Ok(sent.unwrap_or(Format::Json))
}

/// The best supported entry of an `Accept` list, by quality then order; `*/*` and
/// `application/*` mean JSON.
fn from_accept(accept: &str) -> Option<Format> {
    let mut best: Option<(u16, Format)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim();
        let mut quality = 1000u16;
        for param in parts {
            if let Some((name, value)) = param.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = value
                        .trim()
                        .parse::<f32>()
                        .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                        .unwrap_or(0);
                }
            }
        }
        if quality == 0 {
            continue;
        }
        let format = match media {
            "*/*" | "application/*" => Some(Format::Json),
            m => parse_mime(m),
        };
        if let Some(format) = format {
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, format));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// The format of a POST or PUT body: its `Content-Type` must be FHIR JSON or XML (415 otherwise,
/// as the demonstrator does), with no charset other than UTF-8.
pub fn body_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let raw = headers
        .get(CONTENT_TYPE)
        .ok_or_else(|| {
            ApiError::unsupported_media_type(
                "The request has a body but no Content-Type; use application/fhir+json or application/fhir+xml",
            )
        })?
        .to_str()
        .map_err(|_| ApiError::unsupported_media_type("The Content-Type header is not readable"))?;
    let charset_ok = raw
        .split(';')
        .skip(1)
        .all(|param| match param.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        });
    match parse_mime(raw) {
        Some(format) if charset_ok => Ok(format),
        Some(_) => Err(ApiError::unsupported_media_type(format!(
            "The Content-Type '{raw}' names a charset other than UTF-8"
        ))),
        None => Err(ApiError::unsupported_media_type(format!(
            "The Content-Type '{raw}' is not supported; use application/fhir+json or application/fhir+xml"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn negotiate(
        format: Option<&str>,
        accept: Option<&'static str>,
        ct: Option<&'static str>,
    ) -> Result<Format, u16> {
        let query = QueryParams::parse(format.map(|f| format!("_format={f}")).as_deref()).unwrap();
        let mut h = HeaderMap::new();
        if let Some(a) = accept {
            h.insert(ACCEPT, HeaderValue::from_static(a));
        }
        if let Some(c) = ct {
            h.insert(CONTENT_TYPE, HeaderValue::from_static(c));
        }
        response_format(&query, &h).map_err(|e| e.status().as_u16())
    }

    #[test]
    fn format_parameter_beats_accept_beats_content_type() {
        let json = "application/fhir+json";
        let xml = "application/fhir+xml";
        assert_eq!(
            negotiate(Some(json), Some(xml), Some(xml)),
            Ok(Format::Json)
        );
        assert_eq!(negotiate(Some(xml), Some(json), None), Ok(Format::Xml));
        assert_eq!(negotiate(None, Some(json), Some(xml)), Ok(Format::Json));
        assert_eq!(negotiate(None, Some(xml), Some(json)), Ok(Format::Xml));
        assert_eq!(negotiate(None, None, Some(xml)), Ok(Format::Xml));
        assert_eq!(negotiate(None, None, None), Ok(Format::Json));
    }

    #[test]
    fn shorthands_wildcards_and_quality() {
        assert_eq!(negotiate(Some("xml"), None, None), Ok(Format::Xml));
        assert_eq!(
            negotiate(Some("application/json"), None, None),
            Ok(Format::Json)
        );
        assert_eq!(negotiate(None, Some("*/*"), None), Ok(Format::Json));
        assert_eq!(
            negotiate(
                None,
                Some("text/html, application/fhir+xml;q=0.9, */*;q=0.1"),
                None
            ),
            Ok(Format::Xml)
        );
        assert_eq!(
            negotiate(None, Some("application/fhir+json;charset=utf-8"), None),
            Ok(Format::Json)
        );
    }

    #[test]
    fn unsupported_formats_are_415() {
        assert_eq!(negotiate(Some("text/html"), None, None), Err(415));
        assert_eq!(negotiate(None, Some("text/plain"), None), Err(415));
        // A Content-Type alone never fails the response format: the body check does that.
        assert_eq!(negotiate(None, None, Some("text/plain")), Ok(Format::Json));
    }

    #[test]
    fn bodies_need_a_fhir_content_type() {
        let mut h = HeaderMap::new();
        assert_eq!(body_format(&h).unwrap_err().status().as_u16(), 415);
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert_eq!(body_format(&h).unwrap_err().status().as_u16(), 415);
        h.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/fhir+xml;charset=utf-8"),
        );
        assert_eq!(body_format(&h).unwrap(), Format::Xml);
        h.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/fhir+json; charset=latin1"),
        );
        assert_eq!(body_format(&h).unwrap_err().status().as_u16(), 415);
    }
}
