//! Well-formedness of `Narrative.div`: the XHTML fragment is carried as a string in JSON and
//! embedded verbatim in XML, so it must be one well-formed `<div>` in the XHTML namespace.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::primitive::is_forbidden_control;

/// The XHTML namespace `Narrative.div` must declare.
pub(crate) const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Deepest element nesting accepted anywhere (resource or narrative); deeper input is refused
/// rather than recursed into.
pub(crate) const MAX_DEPTH: usize = 64;

/// Checks that `div` is a single well-formed `<div xmlns="http://www.w3.org/1999/xhtml">`
/// element: no DOCTYPE, processing instructions or entity references beyond the five XML ones,
/// no namespace prefixes, at most [`MAX_DEPTH`] levels. `depth` is the nesting already used by
/// the enclosing document.
pub(crate) fn check_div(div: &str, depth: usize) -> Result<(), String> {
    if let Some(c) = div.chars().find(|&c| is_forbidden_control(c)) {
        return Err(format!(
            "control character U+{:04X} is not allowed",
            u32::from(c)
        ));
    }
    let mut reader = Reader::from_str(div);
    let mut level = 0usize;
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if level == 0 {
                    if seen_root {
                        return Err("content after the closing </div>".into());
                    }
                    check_root(start)?;
                    seen_root = true;
                } else {
                    check_element(start)?;
                }
                if matches!(event, Event::Start(_)) {
                    level += 1;
                    if depth + level > MAX_DEPTH {
                        return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
                    }
                }
            }
            Event::End(_) => level = level.saturating_sub(1),
            Event::Text(text) => {
                if level == 0 && !text.iter().all(u8::is_ascii_whitespace) {
                    return Err("text outside the <div> element".into());
                }
            }
            Event::CData(_) | Event::Comment(_) => {
                if level == 0 {
                    return Err("content outside the <div> element".into());
                }
            }
            Event::GeneralRef(reference) => {
                if level == 0 {
                    return Err("text outside the <div> element".into());
                }
                check_reference(&reference)?;
            }
            Event::Decl(_) | Event::PI(_) => {
                return Err("processing instructions are not allowed".into());
            }
            Event::DocType(_) => return Err("DOCTYPE is not allowed".into()),
            Event::Eof => break,
        }
    }
    if !seen_root {
        return Err("expected a <div> element".into());
    }
    if level != 0 {
        return Err("unclosed element".into());
    }
    Ok(())
}

fn check_root(start: &BytesStart<'_>) -> Result<(), String> {
    if start.name().as_ref() != b"div" {
        return Err(format!(
            "root element must be <div>, found <{}>",
            String::from_utf8_lossy(start.name().as_ref())
        ));
    }
    let mut has_ns = false;
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let value = attr.unescape_value().map_err(|e| e.to_string())?;
        if attr.key.as_ref() == b"xmlns" {
            if value != XHTML_NS {
                return Err(format!("<div> must be in the XHTML namespace {XHTML_NS}"));
            }
            has_ns = true;
        } else {
            check_attribute_name(attr.key.as_ref())?;
        }
    }
    if !has_ns {
        return Err(format!("<div> must declare xmlns=\"{XHTML_NS}\""));
    }
    Ok(())
}

fn check_element(start: &BytesStart<'_>) -> Result<(), String> {
    if start.name().as_ref().contains(&b':') {
        return Err("namespace prefixes are not allowed in the narrative".into());
    }
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        attr.unescape_value().map_err(|e| e.to_string())?;
        check_attribute_name(attr.key.as_ref())?;
    }
    Ok(())
}

fn check_attribute_name(name: &[u8]) -> Result<(), String> {
    // Only the XML namespace (`xml:lang`) may be used by prefix; no other namespaces may be
    // declared, so the fragment stays valid when embedded on its own.
    if name == b"xmlns" || (name.contains(&b':') && !name.starts_with(b"xml:")) {
        return Err(format!(
            "attribute '{}' is not allowed in the narrative",
            String::from_utf8_lossy(name)
        ));
    }
    Ok(())
}

fn check_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<(), String> {
    if reference.is_char_ref() {
        match reference.resolve_char_ref() {
            Ok(Some(c)) if !is_forbidden_control(c) => Ok(()),
            _ => Err("invalid character reference".into()),
        }
    } else {
        let name = reference.decode().map_err(|e| e.to_string())?;
        match &*name {
            "lt" | "gt" | "amp" | "apos" | "quot" => Ok(()),
            other => Err(format!("undefined entity '&{other};'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_an_xhtml_div() {
        let div =
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><p lang="en">A &amp; B &#160;</p></div>"#;
        assert_eq!(check_div(div, 0), Ok(()));
    }

    #[test]
    fn rejects_malformed_or_foreign_fragments() {
        for bad in [
            "<div>no namespace</div>",
            r#"<p xmlns="http://www.w3.org/1999/xhtml">x</p>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>unclosed</div>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml">&nbsp;</div>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml">x</div><div xmlns="http://www.w3.org/1999/xhtml">y</div>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml">x</div>trailing"#,
            r#"<!DOCTYPE x><div xmlns="http://www.w3.org/1999/xhtml">x</div>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><x:p xmlns:x="urn:x">x</x:p></div>"#,
            r#"<div xmlns="http://www.w3.org/1999/xhtml">&#1;</div>"#,
            "plain text",
        ] {
            assert!(check_div(bad, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_nesting() {
        let deep = format!(
            r#"<div xmlns="http://www.w3.org/1999/xhtml">{}{}</div>"#,
            "<b>".repeat(MAX_DEPTH),
            "</b>".repeat(MAX_DEPTH)
        );
        assert!(check_div(&deep, 0).is_err());
    }
}
