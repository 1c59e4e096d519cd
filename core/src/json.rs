//! Strict JSON for token segments and key sets: an object's members must be
//! unique (RFC 7515 §4 / RFC 8725 §3.8: last-wins parsers disagree on which
//! value counts) and nesting is bounded, so hostile input cannot blow the stack.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Deepest nesting accepted (a real JWT needs a handful of levels).
pub const MAX_DEPTH: usize = 32;

pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = StrictSeed { depth: 0 }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

struct StrictSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            return Err(de::Error::custom(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictSeed { depth })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            return Err(de::Error::custom(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(StrictSeed { depth })?;
            if out.insert(k.clone(), v).is_some() {
                return Err(de::Error::custom(format!("duplicate member `{}`", truncate(&k, 40))));
            }
        }
        Ok(Value::Object(out))
    }
}

/// The JOSE header members the verifier reads; every other member is parsed
/// (strictly) and dropped. Same rules as [`parse_strict`], without building
/// a map: the header is parsed on every verification.
#[derive(Debug, Default)]
pub struct HeaderFields {
    pub alg: Option<Value>,
    pub kid: Option<Value>,
    pub typ: Option<Value>,
    pub enc: bool,
    /// `crit` or `b64` (RFC 7515 §4.1.11, RFC 7797).
    pub extensions: bool,
}

pub fn parse_header(bytes: &[u8]) -> Result<HeaderFields, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let h = de.deserialize_any(HeaderVisitor).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(h)
}

/// A member name, borrowed from the input when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

struct HeaderVisitor;

impl<'de> Visitor<'de> for HeaderVisitor {
    type Value = HeaderFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderFields, A::Error> {
        let mut h = HeaderFields::default();
        let mut seen: Vec<Key<'de>> = Vec::with_capacity(4);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if seen.iter().any(|k| k.0 == key.0) {
                return Err(de::Error::custom(format!("duplicate member `{}`", truncate(&key.0, 40))));
            }
            let value = map.next_value_seed(StrictSeed { depth: 1 })?;
            match &*key.0 {
                "alg" => h.alg = Some(value),
                "kid" => h.kid = Some(value),
                "typ" => h.typ = Some(value),
                "enc" => h.enc = true,
                "crit" | "b64" => h.extensions = true,
                _ => {}
            }
            seen.push(key);
        }
        Ok(h)
    }
}

/// Shortens attacker-controlled text before it goes into a message.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_follow_the_strict_rules() {
        let h = parse_header(br#"{"alg":"RS256","kid":"k\u0031","x":{"y":[1]},"crit":["x"]}"#).unwrap();
        assert_eq!(h.alg, Some(Value::from("RS256")));
        assert_eq!(h.kid, Some(Value::from("k1")));
        assert!(h.extensions && !h.enc && h.typ.is_none());
        assert!(parse_header(br#"{"alg":"RS256","alg":"none"}"#).unwrap_err().contains("duplicate"));
        assert!(parse_header(br#"{"a\u006cg":"RS256","alg":"none"}"#).unwrap_err().contains("duplicate"));
        assert!(parse_header(br#"{"x":{"y":1,"y":2}}"#).is_err());
        assert!(parse_header(br#"["RS256"]"#).is_err());
        assert!(parse_header(br#"{"alg":"RS256"} x"#).is_err());
        let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(40), "]".repeat(40));
        assert!(parse_header(deep.as_bytes()).is_err());
    }

    #[test]
    fn duplicates_and_depth_are_refused() {
        assert!(parse_strict(br#"{"a":1,"a":2}"#).unwrap_err().contains("duplicate"));
        assert!(parse_strict(br#"{"a":{"b":1,"b":1}}"#).is_err());
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(parse_strict(deep.as_bytes()).unwrap_err().contains("nested"));
        assert!(parse_strict(br#"{"a":[1,{"b":"c"}]}"#).is_ok());
        assert!(parse_strict(br#"{"a":1} x"#).is_err());
    }
}
