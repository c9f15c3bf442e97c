//! Streaming XML writer: a serde [`Serializer`] that writes each field as it is visited, so
//! encoding allocates nothing beyond the output buffer (and a small path stack).

use std::fmt::{self, Display};
use std::io::Write as _;

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::error::EncodeError;
use crate::model::Resource;
use crate::xhtml::check_div;
use crate::xml::FHIR_NS;

pub(super) fn encode_into(resource: &Resource, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let mut writer = Writer {
        out,
        path: Vec::with_capacity(16),
    };
    resource
        .serialize(ElementSer {
            w: &mut writer,
            name: "",
            root: true,
        })
        .map_err(|e| e.0)
}

struct Writer<'o> {
    out: &'o mut Vec<u8>,
    /// Element names from the root, for error messages.
    path: Vec<&'static str>,
}

impl Writer<'_> {
    fn path_string(&self) -> String {
        self.path.join(".")
    }

    fn push(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// Writes `value` escaped for a double-quoted attribute. Tabs and line breaks become
    /// character references, because XML parsers turn literal ones into spaces.
    fn escaped(&mut self, value: &str) -> Result<(), Error> {
        let bytes = value.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let replacement: &[u8] = match b {
                b'&' => b"&amp;",
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'"' => b"&quot;",
                b'\t' => b"&#9;",
                b'\n' => b"&#10;",
                b'\r' => b"&#13;",
                0..=0x1F => return Err(self.unrepresentable(u32::from(b))),
                // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters either.
                0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                    let code = if bytes[i + 2] == 0xBE { 0xFFFE } else { 0xFFFF };
                    return Err(self.unrepresentable(code));
                }
                _ => continue,
            };
            self.out.extend_from_slice(&bytes[start..i]);
            self.out.extend_from_slice(replacement);
            start = i + 1;
        }
        self.out.extend_from_slice(&bytes[start..]);
        Ok(())
    }

    fn unrepresentable(&self, code: u32) -> Error {
        Error(EncodeError::UnrepresentableChar {
            path: self.path_string(),
            code,
        })
    }

    fn primitive_start(&mut self, name: &str) {
        self.push(b"<");
        self.push(name.as_bytes());
        self.push(b" value=\"");
    }

    fn primitive_end(&mut self) {
        self.push(b"\"/>");
    }
}

/// Serialisation failure carrying the [`EncodeError`].
#[derive(Debug)]
struct Error(EncodeError);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        // Only reachable if the model used a serde shape FHIR has no XML form for.
        Error(EncodeError::Serialize(msg.to_string()))
    }
}

fn unsupported(what: &str) -> Error {
    ser::Error::custom(format!("{what} has no FHIR XML form"))
}

/// Serialises one element called `name` (or the root resource).
struct ElementSer<'w, 'o> {
    w: &'w mut Writer<'o>,
    name: &'static str,
    root: bool,
}

macro_rules! primitive_number {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            self.w.primitive_start(self.name);
            // Writing into a Vec cannot fail.
            let _ = write!(self.w.out, "{v}");
            self.w.primitive_end();
            Ok(())
        }
    )*};
}

impl<'w, 'o> Serializer for ElementSer<'w, 'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqSer<'w, 'o>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = StructSer<'w, 'o>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.w.primitive_start(self.name);
        self.w.push(if v { b"true" } else { b"false" });
        self.w.primitive_end();
        Ok(())
    }

    primitive_number!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
    );

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.w.primitive_start(self.name);
        // `Debug` is the shortest round-tripping form and keeps a fraction (`1.0`), so the
        // value reads back as the same decimal.
        let _ = write!(self.w.out, "{v:?}");
        self.w.primitive_end();
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.w.path.push(self.name);
        self.w.primitive_start(self.name);
        self.w.escaped(v)?;
        self.w.primitive_end();
        self.w.path.pop();
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(unsupported("a byte string"))
    }

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(unsupported("a unit value"))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(unsupported("a unit struct"))
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(unsupported("a unit variant"))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported("a newtype variant"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<SeqSer<'w, 'o>, Error> {
        Ok(SeqSer {
            w: self.w,
            name: self.name,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(unsupported("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(unsupported("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("a tuple variant"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(unsupported("a map"))
    }

    fn serialize_struct(
        self,
        struct_name: &'static str,
        _: usize,
    ) -> Result<StructSer<'w, 'o>, Error> {
        self.w
            .path
            .push(if self.root { struct_name } else { self.name });
        Ok(StructSer {
            w: self.w,
            name: self.name,
            struct_name,
            root: self.root,
            resource: false,
            state: TagState::NotStarted,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("a struct variant"))
    }
}

/// A repeating element: every item is written as its own element with the same name.
struct SeqSer<'w, 'o> {
    w: &'w mut Writer<'o>,
    name: &'static str,
}

impl SerializeSeq for SeqSer<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(ElementSer {
            w: self.w,
            name: self.name,
            root: false,
        })
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

#[derive(PartialEq)]
enum TagState {
    /// Nothing written yet.
    NotStarted,
    /// `<name` written; attributes may still follow.
    StartTagOpen,
    /// `<name ...>` written; children follow.
    Open,
}

/// A datatype, backbone element or resource.
struct StructSer<'w, 'o> {
    w: &'w mut Writer<'o>,
    /// The element name (`contained`, `participant`, ...; empty for the root resource).
    name: &'static str,
    /// The Rust struct name: the resource type for resources.
    struct_name: &'static str,
    root: bool,
    resource: bool,
    state: TagState,
}

impl StructSer<'_, '_> {
    fn open_tag(&mut self) {
        if self.state == TagState::NotStarted {
            self.w.push(b"<");
            self.w.push(self.name.as_bytes());
            self.state = TagState::StartTagOpen;
        }
    }

    fn open_children(&mut self) {
        self.open_tag();
        if self.state == TagState::StartTagOpen {
            self.w.push(b">");
            self.state = TagState::Open;
        }
    }

    fn is_attribute(&self, key: &str) -> bool {
        // Element.id is an attribute on datatypes and backbone elements (a resource's id is an
        // element); Extension.url is always an attribute.
        (key == "id" && !self.resource) || (key == "url" && self.struct_name == "Extension")
    }
}

impl SerializeStruct for StructSer<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if key == "resourceType" && self.state == TagState::NotStarted {
            // The tag `Resource`'s serialisation puts first: this struct is a resource. Nested
            // resources are wrapped in their element (`<contained><Patient>…`).
            self.resource = true;
            if !self.root {
                self.w.push(b"<");
                self.w.push(self.name.as_bytes());
                self.w.push(b">");
            }
            self.w.push(b"<");
            self.w.push(self.struct_name.as_bytes());
            if self.root {
                self.w.push(b" xmlns=\"");
                self.w.push(FHIR_NS.as_bytes());
                self.w.push(b"\"");
            }
            self.w.push(b">");
            self.state = TagState::Open;
            return Ok(());
        }
        if self.is_attribute(key) {
            if self.state == TagState::Open {
                return Err(ser::Error::custom(format!(
                    "attribute '{key}' after child elements"
                )));
            }
            self.open_tag();
            self.w.push(b" ");
            self.w.push(key.as_bytes());
            self.w.push(b"=\"");
            value.serialize(AttrSer { w: self.w })?;
            self.w.push(b"\"");
            return Ok(());
        }
        self.open_children();
        if key == "div" && self.struct_name == "Narrative" {
            return value.serialize(DivSer { w: self.w });
        }
        value.serialize(ElementSer {
            w: self.w,
            name: key,
            root: false,
        })
    }

    fn end(mut self) -> Result<(), Error> {
        self.w.path.pop();
        if self.resource {
            self.w.push(b"</");
            self.w.push(self.struct_name.as_bytes());
            self.w.push(b">");
            if !self.root {
                self.w.push(b"</");
                self.w.push(self.name.as_bytes());
                self.w.push(b">");
            }
            return Ok(());
        }
        self.open_tag();
        if self.state == TagState::StartTagOpen {
            self.w.push(b"/>");
        } else {
            self.w.push(b"</");
            self.w.push(self.name.as_bytes());
            self.w.push(b">");
        }
        Ok(())
    }
}

/// Writes a string attribute value (the only attribute types are `id` and `url`).
struct AttrSer<'w, 'o> {
    w: &'w mut Writer<'o>,
}

/// Writes `Narrative.div` verbatim after checking it is a well-formed XHTML `<div>`.
struct DivSer<'w, 'o> {
    w: &'w mut Writer<'o>,
}

macro_rules! string_only_serializer {
    ($ty:ident, $what:literal, |$w:ident, $v:ident| $body:block) => {
        impl<'w, 'o> Serializer for $ty<'w, 'o> {
            type Ok = ();
            type Error = Error;
            type SerializeSeq = Impossible<(), Error>;
            type SerializeTuple = Impossible<(), Error>;
            type SerializeTupleStruct = Impossible<(), Error>;
            type SerializeTupleVariant = Impossible<(), Error>;
            type SerializeMap = Impossible<(), Error>;
            type SerializeStruct = Impossible<(), Error>;
            type SerializeStructVariant = Impossible<(), Error>;

            fn serialize_str(self, $v: &str) -> Result<(), Error> {
                let $w = self.w;
                $body
            }

            fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
                value.serialize(self)
            }

            fn serialize_none(self) -> Result<(), Error> {
                Ok(())
            }

            fn serialize_bool(self, _: bool) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_i8(self, _: i8) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_i16(self, _: i16) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_i32(self, _: i32) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_i64(self, _: i64) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_u8(self, _: u8) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_u16(self, _: u16) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_u32(self, _: u32) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_u64(self, _: u64) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_f32(self, _: f32) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_f64(self, _: f64) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_char(self, _: char) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_unit(self) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_unit_variant(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
            ) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_newtype_struct<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                _: &T,
            ) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_newtype_variant<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: &T,
            ) -> Result<(), Error> {
                Err(unsupported($what))
            }
            fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
                Err(unsupported($what))
            }
            fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
                Err(unsupported($what))
            }
            fn serialize_tuple_struct(
                self,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeTupleStruct, Error> {
                Err(unsupported($what))
            }
            fn serialize_tuple_variant(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeTupleVariant, Error> {
                Err(unsupported($what))
            }
            fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
                Err(unsupported($what))
            }
            fn serialize_struct(
                self,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeStruct, Error> {
                Err(unsupported($what))
            }
            fn serialize_struct_variant(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeStructVariant, Error> {
                Err(unsupported($what))
            }
        }
    };
}

string_only_serializer!(AttrSer, "a non-string attribute", |w, v| { w.escaped(v) });

string_only_serializer!(DivSer, "a non-string narrative", |w, v| {
    w.path.push("div");
    check_div(v, w.path.len()).map_err(|reason| {
        Error(EncodeError::InvalidNarrative {
            path: w.path_string(),
            reason,
        })
    })?;
    w.path.pop();
    w.push(v.as_bytes());
    Ok(())
});
