//! Deserializers that tolerate ATT&CK's schema drift in one streaming pass.
//!
//! A field of an unexpected JSON type becomes "absent" instead of failing the whole bundle:
//! `x_mitre_data_source_ref: ""`, a boolean written as a string, a list given as one string,
//! or a field that a future release reuses with another shape. Nothing is buffered: each
//! visitor skips what it does not want with [`IgnoredAny`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A value read leniently: `None` when the JSON had another type.
pub(crate) struct Lenient<T>(pub Option<T>);

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl<'de> Deserialize<'de> for Lenient<String> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor).map(Lenient)
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        StringVisitor.visit_seq(seq).map(|_| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        StringVisitor.visit_map(map).map(|_| None)
    }
}

impl<'de> Deserialize<'de> for Lenient<bool> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor).map(Lenient)
    }
}

/// A list: `null` is absent, one string is a one-item list, items of another type are
/// skipped, a map is absent.
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for ListVisitor<T>
where
    Lenient<T>: Deserialize<'de>,
    T: FromScalar,
{
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Lenient<T>>()? {
            out.extend(item.0);
        }
        Ok(Some(out))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_scalar(v).map(|t| vec![t]))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        StringVisitor.visit_map(map).map(|_| None)
    }
}

/// Types a lone string can stand for, in a list given as one string.
pub(crate) trait FromScalar: Sized {
    fn from_scalar(s: &str) -> Option<Self>;
}

impl FromScalar for String {
    fn from_scalar(s: &str) -> Option<Self> {
        Some(s.to_string())
    }
}

/// A struct read from a JSON object; anything else is absent.
pub(crate) struct ObjectVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        StringVisitor.visit_seq(seq).map(|_| None)
    }
}

/// Implements lenient reading and list-item reading for a struct read from a JSON object.
macro_rules! lenient_object {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $crate::lenient::Lenient<$t> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($crate::lenient::ObjectVisitor::<$t>(std::marker::PhantomData))
                    .map($crate::lenient::Lenient)
            }
        }
        impl $crate::lenient::FromScalar for $t {
            fn from_scalar(_: &str) -> Option<Self> {
                None
            }
        }
    )*};
}
pub(crate) use lenient_object;

/// `#[serde(deserialize_with = "lenient::opt_string")]`
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Lenient::<String>::deserialize(d).map(|l| l.0)
}

/// Like [`opt_string`], with empty strings treated as absent (`x_mitre_data_source_ref: ""`).
pub(crate) fn opt_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    opt_string(d).map(|s| s.filter(|s| !s.trim().is_empty()))
}

/// `#[serde(deserialize_with = "lenient::flag")]`: missing, null or odd values are `false`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Lenient::<bool>::deserialize(d).map(|l| l.0.unwrap_or(false))
}

/// `#[serde(deserialize_with = "lenient::opt_bool")]`
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Lenient::<bool>::deserialize(d).map(|l| l.0)
}

/// `#[serde(deserialize_with = "lenient::list")]`: a list, empty when absent or odd.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    Lenient<T>: Deserialize<'de>,
    T: FromScalar,
{
    d.deserialize_any(ListVisitor::<T>(PhantomData))
        .map(Option::unwrap_or_default)
}

/// `#[serde(deserialize_with = "lenient::opt_list")]`: a list that keeps "absent" apart from
/// "empty" (attackcti's `data_sources` is `NaN` when the field is missing).
pub(crate) fn opt_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    Lenient<T>: Deserialize<'de>,
    T: FromScalar,
{
    d.deserialize_any(ListVisitor::<T>(PhantomData))
}

/// `#[serde(deserialize_with = "lenient::any")]`: any JSON value kept as is.
pub(crate) fn any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(|v| (!v.is_null()).then_some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[serde(default, deserialize_with = "opt_string")]
        name: Option<String>,
    }
    lenient_object!(Item);

    #[derive(Debug, serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_ref")]
        r: Option<String>,
        #[serde(default, deserialize_with = "flag")]
        b: bool,
        #[serde(default, deserialize_with = "opt_list")]
        l: Option<Vec<String>>,
        #[serde(default, deserialize_with = "list")]
        items: Vec<Item>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn tolerates_drift() {
        let p = probe(
            r#"{"s": 1.5, "r": "", "b": "true", "l": "Process monitoring", "items": [{"name": "a"}, "junk", {"name": ["x"]}, 3]}"#,
        );
        assert_eq!(p.s.as_deref(), Some("1.5"));
        assert_eq!(p.r, None);
        assert!(p.b);
        assert_eq!(p.l, Some(vec!["Process monitoring".to_string()]));
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].name.as_deref(), Some("a"));
        assert_eq!(p.items[1].name, None);
        let p = probe(
            r#"{"s": {"deep": [1, {"x": null}]}, "b": null, "l": [1, "a", null, {"k": 2}], "items": {"not": "a list"}}"#,
        );
        assert_eq!(p.s, None);
        assert!(!p.b);
        // Scalars read as text; nulls and objects inside the list are skipped.
        assert_eq!(p.l, Some(vec!["1".to_string(), "a".to_string()]));
        assert!(p.items.is_empty());
        let p = probe("{}");
        assert_eq!(p.l, None);
    }

    #[test]
    fn malformed_json_is_still_an_error() {
        assert!(serde_json::from_str::<Probe>(r#"{"s": [1, 2"#).is_err());
    }
}
