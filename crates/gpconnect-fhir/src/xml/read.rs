//! Schema-driven XML reader. It builds the same JSON tree the JSON decoder works on (arrays for
//! repeating elements, typed booleans and numbers), then shares the JSON path's checks and
//! typed conversion, so both formats accept and refuse exactly the same content.
//!
//! In lenient mode, unknown elements (and elements in foreign namespaces) are skipped after
//! checking that they are well-formed and harmless, and a [`SKIPPED`] marker is left in their
//! parent, so the shared checks decide whether the parent still holds anything.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use serde_json::{Map, Value};

use crate::error::{DecodeError, Path};
use crate::model::Resource;
use crate::options::DecodeOptions;
use crate::primitive::{parse_boolean, parse_decimal, parse_integer};
use crate::schema::check::{unknown_element_message, SKIPPED};
use crate::schema::{self, ElementDef, ElementType, Primitive, TypeDef, TypeKind};
use crate::xhtml::{check_div, MAX_DEPTH, XHTML_NS};
use crate::xml::FHIR_NS;

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

pub(super) fn decode(bytes: &[u8], options: DecodeOptions) -> Result<Resource, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        DecodeError::document(format!(
            "XML must be UTF-8 encoded: invalid byte at offset {}",
            e.valid_up_to()
        ))
        .syntax()
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut parser = Parser {
        reader: NsReader::from_str(text),
        text,
        lenient: options.ignores_unknown(),
    };
    let value = parser.document()?;
    crate::json::decode_value_with(value, options)
}

/// Which namespace an element is in.
#[derive(PartialEq)]
enum Ns {
    Fhir,
    Xhtml,
    Other(String),
    /// A prefix with no namespace declaration: not namespace-well-formed.
    Undeclared(String),
}

impl Ns {
    fn of(result: &ResolveResult<'_>) -> Ns {
        match result {
            ResolveResult::Bound(Namespace(ns)) if *ns == FHIR_NS.as_bytes() => Ns::Fhir,
            ResolveResult::Bound(Namespace(ns)) if *ns == XHTML_NS.as_bytes() => Ns::Xhtml,
            ResolveResult::Bound(Namespace(ns)) => {
                Ns::Other(String::from_utf8_lossy(ns).into_owned())
            }
            ResolveResult::Unbound => Ns::Other("no namespace".into()),
            ResolveResult::Unknown(prefix) => Ns::Undeclared(format!(
                "undeclared prefix '{}'",
                String::from_utf8_lossy(prefix)
            )),
        }
    }

    fn describe(&self) -> &str {
        match self {
            Ns::Fhir => FHIR_NS,
            Ns::Xhtml => XHTML_NS,
            Ns::Other(s) | Ns::Undeclared(s) => s,
        }
    }
}

/// One element event: its namespace, local name, attributes and whether it is `<x/>`.
struct Element<'i> {
    ns: Ns,
    start: BytesStart<'i>,
    empty: bool,
    /// Byte offset of the `<`.
    offset: usize,
}

impl Element<'_> {
    fn local_name(&self) -> String {
        String::from_utf8_lossy(self.start.local_name().as_ref()).into_owned()
    }
}

/// What the next event inside an element is.
enum Content<'i> {
    Element(Element<'i>),
    End,
}

struct Parser<'i> {
    reader: NsReader<&'i [u8]>,
    text: &'i str,
    /// Skip unknown elements and attributes instead of refusing them.
    lenient: bool,
}

impl<'i> Parser<'i> {
    fn syntax(&self, err: quick_xml::Error) -> DecodeError {
        DecodeError::document(format!(
            "malformed XML at byte {}: {err}",
            self.reader.error_position()
        ))
        .syntax()
    }

    fn document(&mut self) -> Result<Value, DecodeError> {
        let root = loop {
            let offset = self.offset();
            let (ns, event) = self
                .reader
                .read_resolved_event()
                .map(|(r, e)| (Ns::of(&r), e))
                .map_err(|e| self.syntax(e))?;
            match event {
                Event::Decl(decl) => check_declaration(&decl)?,
                Event::Start(start) => {
                    break Element {
                        ns,
                        start,
                        empty: false,
                        offset,
                    }
                }
                Event::Empty(start) => {
                    break Element {
                        ns,
                        start,
                        empty: true,
                        offset,
                    }
                }
                Event::Eof => return Err(DecodeError::document("no root element").syntax()),
                other => self.prolog_or_epilog(other)?,
            }
        };
        if root.ns != Ns::Fhir {
            return Err(DecodeError::document(format!(
                "root element <{}> must be in the FHIR namespace {FHIR_NS} (found {})",
                root.local_name(),
                root.ns.describe()
            )));
        }
        let value = self.resource(root, &Path::Document, 1)?;
        loop {
            match self.reader.read_event().map_err(|e| self.syntax(e))? {
                Event::Eof => return Ok(value),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(DecodeError::document("content after the root element").syntax());
                }
                other => self.prolog_or_epilog(other)?,
            }
        }
    }

    /// Whitespace and comments are allowed around the root element; nothing else is.
    fn prolog_or_epilog(&self, event: Event<'_>) -> Result<(), DecodeError> {
        match event {
            Event::Comment(_) => Ok(()),
            Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => Ok(()),
            // Refused outright: no internal subset is ever read, so no entity is ever expanded.
            Event::DocType(_) => Err(DecodeError::document(
                "DOCTYPE declarations are not allowed",
            )),
            Event::PI(_) => Err(DecodeError::document(
                "processing instructions are not allowed",
            )),
            Event::Decl(_) => Err(DecodeError::document("misplaced XML declaration").syntax()),
            _ => Err(DecodeError::document("text outside the root element").syntax()),
        }
    }

    fn offset(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The next child element or the end of the current element, skipping comments and
    /// whitespace.
    fn next_content(&mut self, path: &Path<'_>) -> Result<Content<'i>, DecodeError> {
        loop {
            let offset = self.offset();
            let (ns, event) = self
                .reader
                .read_resolved_event()
                .map(|(r, e)| (Ns::of(&r), e))
                .map_err(|e| self.syntax(e))?;
            match event {
                Event::Start(start) => {
                    return Ok(Content::Element(Element {
                        ns,
                        start,
                        empty: false,
                        offset,
                    }))
                }
                Event::Empty(start) => {
                    return Ok(Content::Element(Element {
                        ns,
                        start,
                        empty: true,
                        offset,
                    }))
                }
                Event::End(_) => return Ok(Content::End),
                Event::Comment(_) => {}
                Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(DecodeError::at(
                        path,
                        "text content is not allowed here (FHIR values go in a value attribute)",
                    ));
                }
                Event::DocType(_) => {
                    return Err(DecodeError::at(
                        path,
                        "DOCTYPE declarations are not allowed",
                    ))
                }
                Event::PI(_) | Event::Decl(_) => {
                    return Err(DecodeError::at(
                        path,
                        "processing instructions are not allowed",
                    ));
                }
                Event::Eof => {
                    return Err(
                        DecodeError::at(path, "unexpected end of document (truncated?)").syntax(),
                    )
                }
            }
        }
    }

    /// Skips an element the model does not know and everything inside it (lenient mode),
    /// still refusing what is malformed or hostile: undeclared prefixes, malformed attributes,
    /// undefined entities, DOCTYPE, processing instructions and nesting deeper than
    /// [`MAX_DEPTH`]. `depth` is the depth of `element`.
    fn skip(
        &mut self,
        element: Element<'i>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<(), DecodeError> {
        self.check_skipped_start(&element.ns, &element.start, path, depth)?;
        if element.empty {
            return Ok(());
        }
        let mut level = 0usize;
        loop {
            let (ns, event) = self
                .reader
                .read_resolved_event()
                .map(|(r, e)| (Ns::of(&r), e))
                .map_err(|e| self.syntax(e))?;
            match event {
                Event::Start(start) => {
                    level += 1;
                    self.check_skipped_start(&ns, &start, path, depth + level)?;
                }
                Event::Empty(start) => {
                    self.check_skipped_start(&ns, &start, path, depth + level + 1)?;
                }
                Event::End(_) if level == 0 => return Ok(()),
                Event::End(_) => level -= 1,
                Event::Text(_) | Event::CData(_) | Event::Comment(_) => {}
                Event::GeneralRef(reference) => check_reference(&reference, path)?,
                Event::DocType(_) => {
                    return Err(DecodeError::at(
                        path,
                        "DOCTYPE declarations are not allowed",
                    ))
                }
                Event::PI(_) | Event::Decl(_) => {
                    return Err(DecodeError::at(
                        path,
                        "processing instructions are not allowed",
                    ));
                }
                Event::Eof => {
                    return Err(
                        DecodeError::at(path, "unexpected end of document (truncated?)").syntax(),
                    )
                }
            }
        }
    }

    /// The checks a skipped element's start tag must still pass.
    fn check_skipped_start(
        &self,
        ns: &Ns,
        start: &BytesStart<'_>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<(), DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::at(
                path,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        if let Ns::Undeclared(prefix) = ns {
            return Err(DecodeError::at(path, format!("element with an {prefix}")).syntax());
        }
        for attr in start.attributes() {
            let attr = attr
                .map_err(|e| DecodeError::at(path, format!("malformed attribute: {e}")).syntax())?;
            let key = attr.key.as_ref();
            if key != b"xmlns" && !key.starts_with(b"xmlns:") {
                self.check_skipped_attribute(&attr, path)?;
            }
        }
        Ok(())
    }

    /// An attribute lenient mode skips must still have a declared prefix and a value free of
    /// undefined entities.
    fn check_skipped_attribute(
        &self,
        attr: &Attribute<'_>,
        path: &Path<'_>,
    ) -> Result<(), DecodeError> {
        let (ns, _) = self.reader.resolve_attribute(attr.key);
        if let Ns::Undeclared(prefix) = Ns::of(&ns) {
            return Err(DecodeError::at(path, format!("attribute with an {prefix}")).syntax());
        }
        attribute_value(&attr.value)
            .map(drop)
            .map_err(|m| DecodeError::at(path, m))
    }

    /// Reads a resource element (`<Patient>…</Patient>`) into a JSON object.
    fn resource(
        &mut self,
        element: Element<'i>,
        parent: &Path<'_>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let name = element.local_name();
        let def = schema::resource(&name)
            .ok_or_else(|| DecodeError::at(parent, format!("unknown resourceType '{name}'")))?;
        let root_path;
        let path = match parent {
            Path::Document => {
                root_path = Path::Root(def.name);
                &root_path
            }
            other => other,
        };
        let mut object = Map::new();
        object.insert("resourceType".into(), Value::String(def.name.into()));
        self.complex(element, def, path, depth, object)
            .map(Value::Object)
    }

    /// Reads the attributes and children of a datatype, backbone element or resource.
    fn complex(
        &mut self,
        element: Element<'i>,
        def: &'static TypeDef,
        path: &Path<'_>,
        depth: usize,
        mut object: Map<String, Value>,
    ) -> Result<Map<String, Value>, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::at(
                path,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let is_root = matches!(path, Path::Root(_));
        for attr in element.start.attributes() {
            let attr = attr
                .map_err(|e| DecodeError::at(path, format!("malformed attribute: {e}")).syntax())?;
            let key = attr.key;
            if key.as_ref() == b"xmlns" || key.as_ref().starts_with(b"xmlns:") {
                continue;
            }
            let (attr_ns, local) = self.reader.resolve_attribute(key);
            if is_root && Ns::of(&attr_ns) == Ns::Other(XSI_NS.into()) {
                // xsi:schemaLocation and friends are hints for schema tools, not content.
                continue;
            }
            let local = String::from_utf8_lossy(local.as_ref()).into_owned();
            let attribute = def
                .element(&local)
                .filter(|(_, e)| e.attribute && key.as_ref() == local.as_bytes());
            let Some((_, def_element)) = attribute else {
                if self.lenient {
                    self.check_skipped_attribute(&attr, path)?;
                    continue;
                }
                return Err(DecodeError::at(
                    path,
                    format!(
                        "unknown attribute '{}'",
                        String::from_utf8_lossy(key.as_ref())
                    ),
                ));
            };
            let value = attribute_value(&attr.value)
                .map_err(|m| DecodeError::at(&Path::Child(path, def_element.name), m))?;
            object.insert(def_element.name.into(), Value::String(value));
        }
        if element.empty {
            return Ok(object);
        }
        let mut last: Option<usize> = None;
        loop {
            let child = match self.next_content(path)? {
                Content::End => return Ok(object),
                Content::Element(child) => child,
            };
            let local = child.local_name();
            let found = def.element(&local).filter(|(_, e)| !e.attribute);
            let expected_ns = found.map(|(_, e)| if is_xhtml(e) { Ns::Xhtml } else { Ns::Fhir });
            // SPEC 2.6: a consumer ignores elements it does not know, and elements of other
            // namespaces are not FHIR elements at all. A modifier extension is never ignored.
            let known = found.is_some() && expected_ns.as_ref() == Some(&child.ns);
            if self.lenient && !known && local != "modifierExtension" {
                self.skip(child, path, depth + 1)?;
                object.insert(SKIPPED.into(), Value::Null);
                continue;
            }
            let (Some((index, def_element)), Some(expected_ns)) = (found, expected_ns) else {
                return Err(DecodeError::at(path, unknown_element_message(&local)));
            };
            if child.ns != expected_ns {
                return Err(DecodeError::at(
                    path,
                    format!(
                        "element '{local}' must be in the namespace {} (found {})",
                        expected_ns.describe(),
                        child.ns.describe()
                    ),
                ));
            }
            match last {
                Some(previous) if index < previous => {
                    return Err(DecodeError::at(
                        path,
                        format!(
                            "element '{local}' is out of order (STU3 order is {})",
                            element_order(def)
                        ),
                    ));
                }
                Some(previous) if index == previous && !def_element.repeats => {
                    return Err(DecodeError::at(
                        path,
                        format!("element '{local}' appears more than once but does not repeat"),
                    ));
                }
                _ => {}
            }
            last = Some(index);
            if def_element.repeats {
                let position = object
                    .get(def_element.name)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let item_path = Path::Item(path, def_element.name, position);
                match self.child_value(child, def_element, &item_path, depth + 1)? {
                    Some(value) => {
                        let items = object
                            .entry(def_element.name)
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(items) = items {
                            items.push(value);
                        }
                    }
                    None => {
                        object.insert(SKIPPED.into(), Value::Null);
                    }
                }
            } else {
                let value = self.child_value(
                    child,
                    def_element,
                    &Path::Child(path, def_element.name),
                    depth + 1,
                )?;
                let (name, value) = match value {
                    Some(value) => (def_element.name, value),
                    None => (SKIPPED, Value::Null),
                };
                object.insert(name.into(), value);
            }
        }
    }

    /// The value of a known child element; `None` when lenient mode skipped all it holds.
    fn child_value(
        &mut self,
        element: Element<'i>,
        def: &ElementDef,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<Option<Value>, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::at(
                path,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        match def.ty {
            ElementType::Primitive(Primitive::Xhtml) => self.xhtml(element, path, depth).map(Some),
            ElementType::Primitive(kind) => self.primitive(element, kind, path, depth),
            ElementType::Complex(def) => self
                .complex(element, def, path, depth, Map::new())
                .map(|object| Some(Value::Object(object))),
            ElementType::Resource => self.wrapped_resource(element, path, depth).map(Some),
        }
    }

    /// `<name value="…"/>`: the value attribute, typed. Ids and extensions on primitives are
    /// not supported (as `_name` is not in JSON); lenient mode skips them, and gives `None` for
    /// an element that has nothing else.
    fn primitive(
        &mut self,
        element: Element<'i>,
        kind: Primitive,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<Option<Value>, DecodeError> {
        let mut value = None;
        // An id or extensions were skipped (lenient mode).
        let mut skipped = false;
        for attr in element.start.attributes() {
            let attr = attr
                .map_err(|e| DecodeError::at(path, format!("malformed attribute: {e}")).syntax())?;
            match attr.key.as_ref() {
                b"value" => {
                    value =
                        Some(attribute_value(&attr.value).map_err(|m| DecodeError::at(path, m))?)
                }
                key if key == b"xmlns" || key.starts_with(b"xmlns:") => {}
                key if self.lenient => {
                    self.check_skipped_attribute(&attr, path)?;
                    skipped |= key == b"id";
                }
                b"id" => {
                    return Err(DecodeError::at(
                        path,
                        "ids on primitive values are not supported",
                    ))
                }
                key => {
                    return Err(DecodeError::at(
                        path,
                        format!("unknown attribute '{}'", String::from_utf8_lossy(key)),
                    ));
                }
            }
        }
        if !element.empty {
            loop {
                match self.next_content(path)? {
                    Content::End => break,
                    Content::Element(child)
                        if self.lenient
                            && child.start.local_name().as_ref() != b"modifierExtension" =>
                    {
                        self.skip(child, path, depth + 1)?;
                        skipped = true;
                    }
                    Content::Element(child)
                        if child.start.local_name().as_ref() == b"extension" =>
                    {
                        return Err(DecodeError::at(
                            path,
                            "extensions on primitive values are not supported",
                        ));
                    }
                    Content::Element(child) => {
                        return Err(DecodeError::at(
                            path,
                            unknown_element_message(&child.local_name()),
                        ));
                    }
                }
            }
        }
        let Some(text) = value else {
            if skipped {
                return Ok(None);
            }
            return Err(DecodeError::at(path, "missing value attribute"));
        };
        let typed = match kind {
            Primitive::Boolean => parse_boolean(&text).map(Value::Bool),
            Primitive::Integer | Primitive::PositiveInt | Primitive::UnsignedInt => {
                parse_integer(kind, &text).map(|n| Value::Number(n.into()))
            }
            Primitive::Decimal => parse_decimal(&text).map(Value::Number),
            _ => Ok(Value::String(text)),
        };
        typed.map(Some).map_err(|m| DecodeError::at(path, m))
    }

    /// `Narrative.div`: kept verbatim as the XHTML string JSON carries.
    fn xhtml(
        &mut self,
        element: Element<'i>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        if !element.empty {
            let mut level = 1usize;
            while level > 0 {
                match self.reader.read_event().map_err(|e| self.syntax(e))? {
                    Event::Start(_) => {
                        level += 1;
                        if depth + level > MAX_DEPTH {
                            return Err(DecodeError::at(
                                path,
                                format!("nesting deeper than {MAX_DEPTH} levels"),
                            ));
                        }
                    }
                    Event::End(_) => level -= 1,
                    Event::DocType(_) => {
                        return Err(DecodeError::at(
                            path,
                            "DOCTYPE declarations are not allowed",
                        ))
                    }
                    Event::Eof => {
                        return Err(DecodeError::at(
                            path,
                            "unexpected end of document (truncated?)",
                        ))
                    }
                    _ => {}
                }
            }
        }
        let raw = self
            .text
            .get(element.offset..self.offset())
            .unwrap_or_default();
        check_div(raw, depth).map_err(|m| {
            DecodeError::at(path, format!("narrative div is not well-formed XHTML: {m}"))
        })?;
        Ok(Value::String(raw.to_owned()))
    }

    /// `<contained><Patient>…</Patient></contained>`: exactly one resource inside.
    fn wrapped_resource(
        &mut self,
        element: Element<'i>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        for attr in element.start.attributes() {
            let attr = attr
                .map_err(|e| DecodeError::at(path, format!("malformed attribute: {e}")).syntax())?;
            let key = attr.key.as_ref();
            if key == b"xmlns" || key.starts_with(b"xmlns:") {
                continue;
            }
            if self.lenient {
                self.check_skipped_attribute(&attr, path)?;
            } else {
                return Err(DecodeError::at(
                    path,
                    format!(
                        "unknown attribute '{}'",
                        String::from_utf8_lossy(attr.key.as_ref())
                    ),
                ));
            }
        }
        if element.empty {
            return Err(DecodeError::at(
                path,
                "expected a resource inside the element",
            ));
        }
        let inner = match self.next_content(path)? {
            Content::Element(inner) if inner.ns == Ns::Fhir => inner,
            Content::Element(inner) => {
                return Err(DecodeError::at(
                    path,
                    format!(
                        "resource <{}> must be in the FHIR namespace",
                        inner.local_name()
                    ),
                ));
            }
            Content::End => {
                return Err(DecodeError::at(
                    path,
                    "expected a resource inside the element",
                ))
            }
        };
        let value = self.resource(inner, path, depth + 1)?;
        match self.next_content(path)? {
            Content::End => Ok(value),
            Content::Element(_) => Err(DecodeError::at(
                path,
                "only one resource is allowed inside the element",
            )),
        }
    }
}

fn is_xhtml(def: &ElementDef) -> bool {
    matches!(def.ty, ElementType::Primitive(Primitive::Xhtml))
}

fn element_order(def: &TypeDef) -> String {
    let names: Vec<&str> = def
        .elements
        .iter()
        .filter(|e| !e.attribute || def.kind == TypeKind::Resource)
        .map(|e| e.choice.unwrap_or(e.name))
        .fold(Vec::new(), |mut acc, n| {
            if acc.last() != Some(&n) {
                acc.push(n);
            }
            acc
        });
    names.join(", ")
}

/// The XML declaration may only claim version 1.0 and UTF-8.
fn check_declaration(decl: &quick_xml::events::BytesDecl<'_>) -> Result<(), DecodeError> {
    let bad = |m: String| DecodeError::document(m).syntax();
    let version = decl
        .version()
        .map_err(|e| bad(format!("malformed XML declaration: {e}")))?;
    if version.as_ref() != b"1.0" {
        return Err(bad(format!(
            "unsupported XML version '{}'",
            String::from_utf8_lossy(&version)
        )));
    }
    if let Some(encoding) = decl.encoding() {
        let encoding = encoding.map_err(|e| bad(format!("malformed XML declaration: {e}")))?;
        if !encoding.eq_ignore_ascii_case(b"utf-8") {
            return Err(bad(format!(
                "unsupported encoding '{}': FHIR XML must be UTF-8",
                String::from_utf8_lossy(&encoding)
            )));
        }
    }
    Ok(())
}

/// A reference in skipped text must be a character reference or one of the five predefined
/// entities: no document may define its own.
fn check_reference(reference: &BytesRef<'_>, path: &Path<'_>) -> Result<(), DecodeError> {
    let invalid = |detail: String| {
        DecodeError::at(
            path,
            format!("invalid entity or character reference: {detail}"),
        )
    };
    let name = reference.decode().map_err(|e| invalid(e.to_string()))?;
    quick_xml::escape::unescape(&format!("&{name};"))
        .map(drop)
        .map_err(|e| invalid(e.to_string()))
}

/// Unescapes an attribute value with XML attribute-value normalisation: literal line breaks
/// and tabs read as spaces (encoded ones, `&#10;`, are kept). Only the five predefined
/// entities and character references are accepted.
fn attribute_value(raw: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "attribute value is not UTF-8".to_owned())?;
    let normalised: Cow<'_, str> = if text.contains(['\t', '\n', '\r']) {
        Cow::Owned(text.replace("\r\n", " ").replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(text)
    };
    if normalised.contains('<') {
        return Err("'<' is not allowed in an attribute value".into());
    }
    quick_xml::escape::unescape(&normalised)
        .map(Cow::into_owned)
        .map_err(|e| format!("invalid entity or character reference in attribute value: {e}"))
}
