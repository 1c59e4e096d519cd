//! Strict compact-JWS parsing: size limit, segment count (JWE detected),
//! canonical base64url, header JSON and header policy (DESIGN §4, steps 1–4).
//!
//! Header members that name keys or URLs (`jku`, `x5u`, `jwk`, `x5c`) are
//! never read: keys come only from configuration (RFC 8725 §3.10).

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;

use crate::alg::Alg;
use crate::error::{Result, bail, err};
use crate::json;

/// base64url without padding, rejecting non-canonical trailing bits.
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

pub fn b64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    B64URL.decode(s).ok()
}

pub fn b64url_encode(bytes: &[u8]) -> String {
    B64URL.encode(bytes)
}

/// A token whose structure and header passed; the signature is not checked yet.
pub struct Parsed<'t> {
    pub alg: Alg,
    pub kid: Option<String>,
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'t [u8],
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Steps 1–4 of the check order.
pub fn parse(token: &str, max_size: usize) -> Result<Parsed<'_>> {
    let bytes = token.as_bytes();
    if bytes.len() > max_size {
        bail!(TokenTooLarge, "the token is {} bytes; the limit is {max_size} (verify.maxtokensize)", bytes.len());
    }
    if bytes.is_empty() {
        bail!(TokenMalformed, "the token is empty");
    }
    // Count without allocating: a run of dots costs nothing.
    let dots = bytes.iter().filter(|&&b| b == b'.').count();
    match dots {
        2 => {}
        4 => bail!(TokenEncrypted, "the token has five parts: it is an encrypted JWT (JWE), which jwtgate does not accept"),
        n => bail!(TokenMalformed, "a compact JWS has 3 dot-separated parts; this token has {}", n + 1),
    }
    let first = bytes.iter().position(|&b| b == b'.').expect("two dots");
    let second = first + 1 + bytes[first + 1..].iter().position(|&b| b == b'.').expect("two dots");
    let decode = |seg: &[u8], what: &str| {
        b64url_decode(seg).ok_or_else(|| err!(TokenMalformed, "the {what} is not canonical base64url without padding"))
    };
    let header = decode(&bytes[..first], "header")?;
    let payload = decode(&bytes[first + 1..second], "payload").map_err(|e| {
        // RFC 7797 (`b64: false`) payloads are not base64url by design: name
        // the unsupported extension rather than a generic encoding fault.
        match json::parse_strict(&header) {
            Ok(Value::Object(h)) if h.contains_key("b64") => {
                err!(UnsupportedCriticalHeader, "the header uses the RFC 7797 `b64` extension, which jwtgate does not implement")
            }
            _ => e,
        }
    })?;
    let signature = decode(&bytes[second + 1..], "signature")?;

    let h = json::parse_header(&header).map_err(|e| err!(TokenMalformed, "the header is not a valid JSON object: {e}"))?;
    if h.enc {
        bail!(TokenEncrypted, "the header has `enc`: it is an encrypted JWT (JWE), which jwtgate does not accept");
    }
    let alg = match &h.alg {
        Some(Value::String(a)) => a,
        Some(_) => bail!(TokenMalformed, "the header's `alg` is not a string"),
        None => bail!(TokenMalformed, "the header has no `alg`"),
    };
    let Some(alg) = Alg::from_name(alg) else {
        if alg.eq_ignore_ascii_case("none") {
            bail!(AlgorithmNotAllowed, "unsigned tokens (alg `none`) are never accepted");
        }
        bail!(AlgorithmNotAllowed, "algorithm `{}` is not supported", json::truncate(alg, 20));
    };
    if h.extensions {
        bail!(UnsupportedCriticalHeader, "the header uses `crit`/`b64` extensions, which jwtgate does not implement");
    }
    let kid = match h.kid {
        None => None,
        Some(Value::String(k)) => Some(k),
        Some(_) => bail!(TokenMalformed, "the header's `kid` is not a string"),
    };
    if h.typ.is_some_and(|t| !t.is_string()) {
        bail!(TokenMalformed, "the header's `typ` is not a string");
    }
    Ok(Parsed { alg, kid, signing_input: &bytes[..second], payload, signature })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Reason;

    fn seg(json: &str) -> String {
        b64url_encode(json.as_bytes())
    }

    #[test]
    fn structure_and_header_reasons() {
        let p = seg(r#"{"sub":"a"}"#);
        let cases = [
            ("", Reason::TokenMalformed),
            ("a.b", Reason::TokenMalformed),
            ("a.b.c.d.e", Reason::TokenEncrypted),
            ("....", Reason::TokenEncrypted),
            (".......", Reason::TokenMalformed),
        ];
        for (t, r) in cases {
            assert_eq!(parse(t, 1000).err().unwrap().reason(), r, "{t}");
        }
        let t = format!("{}.{p}.", seg(r#"{"alg":"nOnE"}"#));
        assert_eq!(parse(&t, 1000).err().unwrap().reason(), Reason::AlgorithmNotAllowed);
        let t = format!("{}.{p}.", seg(r#"{"alg":"RS256","crit":["exp"]}"#));
        assert_eq!(parse(&t, 1000).err().unwrap().reason(), Reason::UnsupportedCriticalHeader);
        let t = format!("{}.{p}.", seg(r#"{"alg":"RS256","enc":"A128GCM"}"#));
        assert_eq!(parse(&t, 1000).err().unwrap().reason(), Reason::TokenEncrypted);
        let t = format!("{}.{p}.", seg(r#"{"alg":"RS256","kid":1}"#));
        assert_eq!(parse(&t, 1000).err().unwrap().reason(), Reason::TokenMalformed);
        let t = format!("{}=.{p}.", seg(r#"{"alg":"RS256"}"#));
        assert_eq!(parse(&t, 1000).err().unwrap().reason(), Reason::TokenMalformed);
        assert_eq!(parse(&".".repeat(5000), 1000).err().unwrap().reason(), Reason::TokenTooLarge);
    }
}
