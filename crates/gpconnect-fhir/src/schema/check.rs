//! The FHIR JSON wire rules, checked against the schema before typed deserialisation so every
//! rejection names the element path: no `null`, no empty strings, arrays or objects, arrays
//! exactly for repeating elements, the right JSON type and lexical form for every primitive,
//! required elements present, at most one variant per choice, no unknown elements (SPEC 2.6:
//! providers reject unknown elements in request bodies with 422 INVALID_RESOURCE).

use serde_json::{Map, Value};

use crate::error::{DecodeError, Path};
use crate::primitive::{check_integer, check_string};
use crate::schema::{self, ElementDef, ElementType, Primitive, TypeDef, EXTENSION};
use crate::xhtml::{check_div, MAX_DEPTH};

/// Checks a whole resource held as JSON. `path` is where the resource sits (`Path::Document`
/// for the root); returns the resource's type.
pub(crate) fn check_resource(
    value: &Value,
    path: &Path<'_>,
    depth: usize,
) -> Result<&'static TypeDef, DecodeError> {
    let Value::Object(object) = value else {
        return Err(DecodeError::at(
            path,
            format!(
                "expected a resource (JSON object), found {}",
                describe(value)
            ),
        ));
    };
    let def = match object.get("resourceType") {
        Some(Value::String(name)) => schema::resource(name)
            .ok_or_else(|| DecodeError::at(path, format!("unknown resourceType '{name}'")))?,
        Some(other) => {
            return Err(DecodeError::at(
                path,
                format!("resourceType must be a string, found {}", describe(other)),
            ));
        }
        None => return Err(DecodeError::at(path, "missing resourceType")),
    };
    match path {
        Path::Document => check_object(object, def, &Path::Root(def.name), depth),
        _ => check_object(object, def, path, depth),
    }?;
    Ok(def)
}

fn check_object(
    object: &Map<String, Value>,
    def: &'static TypeDef,
    path: &Path<'_>,
    depth: usize,
) -> Result<(), DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::at(
            path,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    let is_resource = def.kind == schema::TypeKind::Resource;
    // Which choice group (by element index of its first variant seen) is already filled.
    let mut choices: [Option<&'static str>; 4] = [None; 4];
    let mut has_content = is_resource;
    for (key, value) in object {
        if is_resource && key == "resourceType" {
            continue;
        }
        let Some((_, element)) = def.element(key) else {
            return Err(DecodeError::at(path, unknown_element_message(key)));
        };
        if key != "id" {
            has_content = true;
        }
        if let Some(group) = element.choice {
            check_choice(&mut choices, group, key, object, def, path)?;
        }
        check_element(element, value, path, depth)?;
    }
    if !has_content {
        return Err(DecodeError::at(
            path,
            "element has no content (an 'id' alone is not allowed)",
        ));
    }
    check_required(object, def, path)?;
    if std::ptr::eq(def, &EXTENSION) {
        // STU3 invariant ext-1: an extension has nested extensions or a value, never both.
        let nested = object.contains_key("extension");
        let valued = object.keys().any(|k| k.starts_with("value"));
        if nested == valued {
            return Err(DecodeError::at(path, "an extension must have either nested extensions or a value[x], not both or neither"));
        }
    }
    Ok(())
}

fn check_choice(
    seen: &mut [Option<&'static str>; 4],
    group: &'static str,
    key: &str,
    object: &Map<String, Value>,
    def: &'static TypeDef,
    path: &Path<'_>,
) -> Result<(), DecodeError> {
    if seen.contains(&Some(group)) {
        let other = def
            .elements
            .iter()
            .filter(|e| e.choice == Some(group) && e.name != key)
            .find(|e| object.contains_key(e.name))
            .map_or("another variant", |e| e.name);
        return Err(DecodeError::at(
            path,
            format!("only one {group} variant is allowed, found '{other}' and '{key}'"),
        ));
    }
    if let Some(slot) = seen.iter_mut().find(|s| s.is_none()) {
        *slot = Some(group);
    }
    Ok(())
}

fn check_required(
    object: &Map<String, Value>,
    def: &'static TypeDef,
    path: &Path<'_>,
) -> Result<(), DecodeError> {
    for element in def.elements.iter().filter(|e| e.min > 0) {
        match element.choice {
            Some(group) => {
                let present = def
                    .elements
                    .iter()
                    .any(|e| e.choice == Some(group) && object.contains_key(e.name));
                if !present {
                    return Err(DecodeError::at(
                        path,
                        format!("missing required element '{group}'"),
                    ));
                }
            }
            None if !object.contains_key(element.name) => {
                return Err(DecodeError::at(
                    path,
                    format!("missing required element '{}'", element.name),
                ));
            }
            None => {}
        }
    }
    Ok(())
}

fn check_element(
    element: &ElementDef,
    value: &Value,
    parent: &Path<'_>,
    depth: usize,
) -> Result<(), DecodeError> {
    if element.repeats {
        let path = Path::Child(parent, element.name);
        let Value::Array(items) = value else {
            return Err(DecodeError::at(
                &path,
                format!(
                    "expected an array (the element repeats), found {}",
                    describe(value)
                ),
            ));
        };
        if items.is_empty() {
            return Err(DecodeError::at(
                &path,
                "empty array is not allowed (omit the element instead)",
            ));
        }
        for (index, item) in items.iter().enumerate() {
            check_value(
                element,
                item,
                &Path::Item(parent, element.name, index),
                depth + 1,
            )?;
        }
        Ok(())
    } else {
        let path = Path::Child(parent, element.name);
        if value.is_array() {
            return Err(DecodeError::at(
                &path,
                "expected a single value, found an array (the element does not repeat)",
            ));
        }
        check_value(element, value, &path, depth + 1)
    }
}

fn check_value(
    element: &ElementDef,
    value: &Value,
    path: &Path<'_>,
    depth: usize,
) -> Result<(), DecodeError> {
    if value.is_null() {
        return Err(DecodeError::at(
            path,
            "null is not allowed (omit the element instead)",
        ));
    }
    match element.ty {
        ElementType::Primitive(kind) => {
            check_primitive(kind, value, depth).map_err(|m| DecodeError::at(path, m))
        }
        ElementType::Complex(def) => match value {
            Value::Object(object) if object.is_empty() => Err(DecodeError::at(
                path,
                "empty object is not allowed (omit the element instead)",
            )),
            Value::Object(object) => check_object(object, def, path, depth),
            other => Err(DecodeError::at(
                path,
                format!(
                    "expected a {} (JSON object), found {}",
                    def.name,
                    describe(other)
                ),
            )),
        },
        ElementType::Resource => check_resource(value, path, depth).map(|_| ()),
    }
}

fn check_primitive(kind: Primitive, value: &Value, depth: usize) -> Result<(), String> {
    match (kind, value) {
        (Primitive::Boolean, Value::Bool(_)) => Ok(()),
        (Primitive::Boolean, other) => Err(format!(
            "expected a boolean (true or false), found {}",
            describe(other)
        )),
        (
            Primitive::Integer | Primitive::PositiveInt | Primitive::UnsignedInt,
            Value::Number(n),
        ) => {
            let int = n
                .as_i64()
                .ok_or_else(|| format!("expected an integer, found {n}"))?;
            check_integer(kind, int)
        }
        (Primitive::Integer | Primitive::PositiveInt | Primitive::UnsignedInt, other) => {
            Err(format!(
                "expected an integer (JSON number), found {}",
                describe(other)
            ))
        }
        (Primitive::Decimal, Value::Number(_)) => Ok(()),
        (Primitive::Decimal, other) => Err(format!(
            "expected a decimal (JSON number), found {}",
            describe(other)
        )),
        (Primitive::Xhtml, Value::String(s)) => check_div(s, depth),
        (_, Value::String(s)) => check_string(kind, s),
        (_, other) => Err(format!("expected a string, found {}", describe(other))),
    }
}

/// The message for an element name the type does not have.
pub(crate) fn unknown_element_message(name: &str) -> String {
    if let Some(base) = name.strip_prefix('_') {
        format!("unknown element '{name}' (extensions or ids on primitive values such as '{base}' are not supported)")
    } else {
        format!("unknown element '{name}'")
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
