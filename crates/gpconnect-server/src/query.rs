//! Query strings decoded with RFC 3986 rules (SPEC 2.10): `%2B` is a plus sign and a raw `+` stays
//! a `+` (form decoding would turn the `+` of a `+01:00` offset into a space). Parameters keep
//! their order and may repeat (`start`, `searchFilter`, `_include:recurse`).

use percent_encoding::percent_decode_str;

/// A query string that is not valid UTF-8 once decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query parameter '{0}' is not valid UTF-8 after percent-decoding")]
pub struct QueryError(pub String);

/// The decoded query parameters of a request, in the order they were sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Decodes a raw query string (the part after `?`). Empty pieces (`a=1&&b=2`) are skipped;
    /// a name without `=` has an empty value.
    pub fn parse(raw: Option<&str>) -> Result<Self, QueryError> {
        let Some(raw) = raw else {
            return Ok(Self::default());
        };
        let mut params = Vec::new();
        for piece in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            params.push((decode(name)?, decode(value)?));
        }
        Ok(Self(params))
    }

    /// Every value of `name` (case-sensitive, SPEC 2.2), in request order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, if any.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How many times `name` was sent.
    pub fn count(&self, name: &str) -> usize {
        self.0.iter().filter(|(n, _)| n == name).count()
    }

    /// All parameters as `(name, value)` pairs, in request order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// True when no parameter was sent.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn decode(s: &str) -> Result<String, QueryError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| QueryError(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_plus_is_kept_and_an_encoded_plus_is_decoded() {
        let q = QueryParams::parse(Some(
            "start=ge2024-06-01T09:00:00+01:00&end=le2024-06-02T09:00:00%2B01:00",
        ))
        .unwrap();
        assert_eq!(q.first("start"), Some("ge2024-06-01T09:00:00+01:00"));
        assert_eq!(q.first("end"), Some("le2024-06-02T09:00:00+01:00"));
    }

    #[test]
    fn repeated_parameters_keep_their_order() {
        let q = QueryParams::parse(Some(
            "start=ge2030-03-03&_sort=date&start=le2030-03-30&identifier=a%7Cb",
        ))
        .unwrap();
        assert_eq!(
            q.all("start").collect::<Vec<_>>(),
            ["ge2030-03-03", "le2030-03-30"]
        );
        assert_eq!(q.count("start"), 2);
        assert_eq!(q.first("identifier"), Some("a|b"));
        assert_eq!(q.first("Identifier"), None);
    }

    #[test]
    fn names_without_values_and_empty_pieces() {
        let q = QueryParams::parse(Some("a&&b=&c=1")).unwrap();
        assert_eq!(
            q.iter().collect::<Vec<_>>(),
            [("a", ""), ("b", ""), ("c", "1")]
        );
        assert!(QueryParams::parse(None).unwrap().is_empty());
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert!(QueryParams::parse(Some("a=%FF")).is_err());
    }
}
