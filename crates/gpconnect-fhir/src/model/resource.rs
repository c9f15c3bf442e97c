//! The [`Resource`] enum: any resource the model knows, dispatched on `resourceType`.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::model::{
    Appointment, Bundle, CapabilityStatement, Device, Location, Meta, OperationOutcome,
    Organization, Parameters, Patient, Practitioner, PractitionerRole, Schedule, Slot,
};

/// A resource struct that can stand alone as a [`Resource`].
pub trait FhirResource: Sized + Into<Resource> {
    /// The `resourceType` of this struct, e.g. `"Appointment"`.
    const RESOURCE_TYPE: &'static str;

    /// Unwraps the resource if it is of this type, or gives it back unchanged.
    fn from_resource(resource: Resource) -> Result<Self, Resource>;
}

macro_rules! resources {
    ($($name:ident),+ $(,)?) => {
        /// Any resource of the model. Serialised with `resourceType` first; deserialised by
        /// dispatching on `resourceType` (an unknown type is an error).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "resourceType")]
        pub enum Resource {
            $(
                #[doc = concat!("A `", stringify!($name), "`.")]
                $name(Box<$name>),
            )+
        }

        impl Resource {
            /// The `resourceType` name, e.g. `"Slot"`.
            pub fn resource_type(&self) -> &'static str {
                match self {
                    $(Resource::$name(_) => stringify!($name),)+
                }
            }

            /// The logical id, if any.
            pub fn id(&self) -> Option<&str> {
                match self {
                    $(Resource::$name(r) => r.id.as_deref(),)+
                }
            }

            /// The resource metadata, if any.
            pub fn meta(&self) -> Option<&Meta> {
                match self {
                    $(Resource::$name(r) => r.meta.as_ref(),)+
                }
            }

            /// Whether `resource_type` names a resource the model knows.
            pub fn is_known_type(resource_type: &str) -> bool {
                matches!(resource_type, $(stringify!($name))|+)
            }

            /// Builds a resource from a JSON object holding `resourceType` and the elements of
            /// that type. Only the typed structure is checked here; [`crate::decode`] applies
            /// the FHIR wire rules first.
            pub(crate) fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
                let resource_type = match object.remove("resourceType") {
                    Some(Value::String(s)) => s,
                    Some(_) => return Err(serde_json::Error::custom("resourceType must be a string")),
                    None => return Err(serde_json::Error::custom("missing resourceType")),
                };
                match resource_type.as_str() {
                    $(stringify!($name) => serde_json::from_value::<$name>(Value::Object(object))
                        .map(Resource::from),)+
                    other => Err(serde_json::Error::custom(format!("unknown resourceType '{other}'"))),
                }
            }

            /// Deserialises the rest of an object whose `resourceType` has been read.
            fn from_map_access<'de, A: MapAccess<'de>>(resource_type: &str, map: A) -> Result<Self, A::Error> {
                match resource_type {
                    $(stringify!($name) => $name::deserialize(MapAccessDeserializer::new(map))
                        .map(Resource::from),)+
                    other => Err(A::Error::custom(format!("unknown resourceType '{other}'"))),
                }
            }
        }

        $(
            impl From<$name> for Resource {
                fn from(resource: $name) -> Self {
                    Resource::$name(Box::new(resource))
                }
            }

            impl FhirResource for $name {
                const RESOURCE_TYPE: &'static str = stringify!($name);

                fn from_resource(resource: Resource) -> Result<Self, Resource> {
                    match resource {
                        Resource::$name(r) => Ok(*r),
                        other => Err(other),
                    }
                }
            }
        )+
    };
}

resources!(
    Appointment,
    Bundle,
    CapabilityStatement,
    Device,
    Location,
    OperationOutcome,
    Organization,
    Parameters,
    Patient,
    Practitioner,
    PractitionerRole,
    Schedule,
    Slot,
);

impl<'de> Deserialize<'de> for Resource {
    // Internally tagged serde enums cannot be combined with `deny_unknown_fields`, so the tag is
    // read by hand: streamed straight into the right struct when it comes first (as FHIR JSON
    // writers put it), otherwise the object is buffered and dispatched.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResourceVisitor)
    }
}

struct ResourceVisitor;

impl<'de> Visitor<'de> for ResourceVisitor {
    type Value = Resource;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a FHIR resource (an object with resourceType)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Resource, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Err(A::Error::custom("missing resourceType"));
        };
        if first == "resourceType" {
            let resource_type: String = map.next_value()?;
            return Resource::from_map_access(&resource_type, map);
        }
        let mut object = Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Resource::from_json_object(object).map_err(A::Error::custom)
    }
}
