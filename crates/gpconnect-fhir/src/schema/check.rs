//! The FHIR JSON wire rules, checked against the schema before typed deserialisation so every
//! rejection names the element path: no `null`, no empty strings, arrays or objects, arrays
//! exactly for repeating elements, the right JSON type and lexical form for every primitive,
//! required elements present, at most one variant per choice, no unknown elements (SPEC 2.6:
//! providers reject unknown elements in request bodies with 422 INVALID_RESOURCE).
//!
//! In lenient mode (SPEC 2.6: consumers ignore unknown elements and extensions) the check removes
//! what it skips from the tree, so the typed structs only ever see known elements.

use serde_json::{Map, Value};

use crate::error::{DecodeError, Path};
use crate::options::DecodeOptions;
use crate::primitive::{check_integer, check_string};
use crate::schema::{self, ElementDef, ElementType, Primitive, TypeDef, EXTENSION};
use crate::xhtml::{check_div, MAX_DEPTH};

/// The property the XML reader puts in an object where it skipped unknown content in lenient
/// mode, so that the rules here decide, as for JSON, whether the object still holds anything.
/// No FHIR element name starts with `#`.
pub(crate) const SKIPPED: &str = "#skipped";

/// Whether a checked element stays in the tree or is skipped as a whole (lenient mode only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checked {
    Keep,
    Skip,
}

/// Checks a whole resource held as JSON. `path` is where the resource sits (`Path::Document`
/// for the root); returns the resource's type.
pub(crate) fn check_resource(
    value: &mut Value,
    path: &Path<'_>,
    depth: usize,
    options: DecodeOptions,
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
        Path::Document => check_object(object, def, &Path::Root(def.name), depth, options),
        _ => check_object(object, def, path, depth, options),
    }?;
    Ok(def)
}

fn check_object(
    object: &mut Map<String, Value>,
    def: &'static TypeDef,
    path: &Path<'_>,
    depth: usize,
    options: DecodeOptions,
) -> Result<Checked, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::at(
            path,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    let lenient = options.ignores_unknown();
    let is_resource = def.kind == schema::TypeKind::Resource;
    // `_name` properties carry ids and extensions of primitive values; lenient mode skips them,
    // and with them the `null` placeholders they leave in a repeating primitive's array.
    let primitive_extras: Vec<String> = if lenient {
        object
            .keys()
            .filter(|k| k.starts_with('_'))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    // The choice groups already filled, with the variant that filled each.
    let mut choices: [Option<(&'static str, &'static str)>; 4] = [None; 4];
    let mut has_content = is_resource;
    let mut skipped: Vec<String> = Vec::new();
    for (key, value) in object.iter_mut() {
        if is_resource && key == "resourceType" {
            continue;
        }
        let Some((_, element)) = def.element(key) else {
            // FHIR forbids ignoring a modifier extension: it changes the meaning of its parent.
            if lenient && key != "modifierExtension" {
                skipped.push(key.clone());
                continue;
            }
            return Err(DecodeError::at(path, unknown_element_message(key)));
        };
        if let Some(group) = element.choice {
            check_choice(&mut choices, group, element.name, path)?;
        }
        let placeholders = primitive_extras
            .iter()
            .any(|k| k.strip_prefix('_') == Some(key.as_str()));
        match check_element(element, value, path, depth, options, placeholders)? {
            Checked::Keep if key != "id" => has_content = true,
            Checked::Keep => {}
            Checked::Skip => skipped.push(key.clone()),
        }
    }
    let pruned = !skipped.is_empty();
    if pruned {
        object.retain(|key, _| !skipped.contains(key));
    }
    if !has_content {
        // An element holding only unknown content (and perhaps an id) is unknown content too.
        if pruned {
            return Ok(Checked::Skip);
        }
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
        if pruned && !nested && !valued {
            // Its value is of a type the model does not know: an unknown extension.
            return Ok(Checked::Skip);
        }
        if nested == valued {
            return Err(DecodeError::at(path, "an extension must have either nested extensions or a value[x], not both or neither"));
        }
    }
    Ok(Checked::Keep)
}

fn check_choice(
    seen: &mut [Option<(&'static str, &'static str)>; 4],
    group: &'static str,
    name: &'static str,
    path: &Path<'_>,
) -> Result<(), DecodeError> {
    if let Some((_, first)) = seen.iter().flatten().find(|(g, _)| *g == group) {
        return Err(DecodeError::at(
            path,
            format!("only one {group} variant is allowed, found '{first}' and '{name}'"),
        ));
    }
    if let Some(slot) = seen.iter_mut().find(|s| s.is_none()) {
        *slot = Some((group, name));
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
    value: &mut Value,
    parent: &Path<'_>,
    depth: usize,
    options: DecodeOptions,
    placeholders: bool,
) -> Result<Checked, DecodeError> {
    let path = Path::Child(parent, element.name);
    if !element.repeats {
        if value.is_array() {
            return Err(DecodeError::at(
                &path,
                "expected a single value, found an array (the element does not repeat)",
            ));
        }
        return check_value(element, value, &path, depth + 1, options);
    }
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
    let placeholders = placeholders && matches!(element.ty, ElementType::Primitive(_));
    let mut skipped: Vec<usize> = Vec::new();
    for (index, item) in items.iter_mut().enumerate() {
        let item_path = Path::Item(parent, element.name, index);
        if placeholders && item.is_null() {
            // The item has only an id or extensions, in the skipped `_name` array.
            skipped.push(index);
            continue;
        }
        if check_value(element, item, &item_path, depth + 1, options)? == Checked::Skip {
            if element.name == "modifierExtension" {
                return Err(DecodeError::at(
                    &item_path,
                    "a modifier extension cannot be ignored, and this one holds content of a type the model does not know",
                ));
            }
            skipped.push(index);
        }
    }
    if skipped.is_empty() {
        return Ok(Checked::Keep);
    }
    if skipped.len() == items.len() {
        return Ok(Checked::Skip);
    }
    let mut index = 0;
    items.retain(|_| {
        let keep = !skipped.contains(&index);
        index += 1;
        keep
    });
    Ok(Checked::Keep)
}

fn check_value(
    element: &ElementDef,
    value: &mut Value,
    path: &Path<'_>,
    depth: usize,
    options: DecodeOptions,
) -> Result<Checked, DecodeError> {
    if value.is_null() {
        return Err(DecodeError::at(
            path,
            "null is not allowed (omit the element instead)",
        ));
    }
    match element.ty {
        ElementType::Primitive(kind) => check_primitive(kind, value, depth)
            .map(|()| Checked::Keep)
            .map_err(|m| DecodeError::at(path, m)),
        ElementType::Complex(def) => match value {
            Value::Object(object) if object.is_empty() => Err(DecodeError::at(
                path,
                "empty object is not allowed (omit the element instead)",
            )),
            Value::Object(object) => check_object(object, def, path, depth, options),
            other => Err(DecodeError::at(
                path,
                format!(
                    "expected a {} (JSON object), found {}",
                    def.name,
                    describe(other)
                ),
            )),
        },
        ElementType::Resource => check_resource(value, path, depth, options).map(|_| Checked::Keep),
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
