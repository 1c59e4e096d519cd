//! Payload checks after the signature (DESIGN §4 step 7): claim types, time
//! with clock skew, issuer, audience (with Liberty's URL-prefix rule),
//! required claims.

use serde_json::{Map, Value};

use crate::config::{Audiences, ProfileConfig};
use crate::error::{Result, bail};
use crate::json::truncate;

/// Latest NumericDate accepted: 9999-12-31T23:59:59Z.
const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// The registered claims, type-checked.
pub struct Claims<'a> {
    pub obj: &'a Map<String, Value>,
    pub iss: Option<&'a str>,
    pub sub: Option<&'a str>,
    pub aud: Vec<&'a str>,
    pub exp: Option<f64>,
    pub nbf: Option<f64>,
    pub iat: Option<f64>,
}

fn numeric_date(obj: &Map<String, Value>, name: &str) -> Result<Option<f64>> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(t) if t.is_finite() && (0.0..=MAX_NUMERIC_DATE).contains(&t) => Ok(Some(t)),
            _ => bail!(TokenMalformed, "claim `{name}` is out of range for a NumericDate"),
        },
        Some(_) => bail!(TokenMalformed, "claim `{name}` must be a number (seconds since 1970)"),
    }
}

fn string<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => bail!(TokenMalformed, "claim `{name}` must be a string"),
    }
}

impl<'a> Claims<'a> {
    pub fn from_payload(payload: &'a Value) -> Result<Claims<'a>> {
        let Value::Object(obj) = payload else { bail!(TokenMalformed, "the payload is not a JSON object") };
        let aud = match obj.get("aud") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) if !a.is_empty() => {
                let mut out = Vec::with_capacity(a.len());
                for v in a {
                    match v {
                        Value::String(s) => out.push(s.as_str()),
                        _ => bail!(TokenMalformed, "claim `aud` must hold only strings"),
                    }
                }
                out
            }
            Some(_) => bail!(TokenMalformed, "claim `aud` must be a string or a non-empty array of strings"),
        };
        Ok(Claims {
            obj,
            iss: string(obj, "iss")?,
            sub: string(obj, "sub")?,
            aud,
            exp: numeric_date(obj, "exp")?,
            nbf: numeric_date(obj, "nbf")?,
            iat: numeric_date(obj, "iat")?,
        })
    }

    /// Time, issuer, audience and required claims, in the contract's order.
    pub fn check(&self, p: &ProfileConfig, now: u64, resource_url: Option<&str>) -> Result<()> {
        let now = now as f64;
        let skew = p.clock_skew as f64;
        if let Some(exp) = self.exp
            && now >= exp + skew {
                bail!(TokenExpired, "the token expired at {exp} (now {now}, skew {skew}s)");
            }
        if let Some(nbf) = self.nbf
            && now < nbf - skew {
                bail!(TokenNotYetValid, "the token is not valid before {nbf} (now {now}, skew {skew}s)");
            }
        if let Some(iat) = self.iat
            && iat > now + skew {
                bail!(TokenNotYetValid, "the token was issued in the future ({iat}; now {now}, skew {skew}s)");
            }
        if let Some(allowed) = &p.issuers
            && !self.iss.is_some_and(|iss| allowed.iter().any(|a| a == iss)) {
                let iss = self.iss.map_or("(none)".to_string(), |i| truncate(i, 80));
                bail!(IssuerNotAllowed, "issuer `{iss}` is not in verify.issuers of profile `{}`", p.name);
            }
        self.check_audience(&p.audiences, resource_url)?;
        for c in &p.required_claims {
            if !self.obj.contains_key(c) {
                bail!(ClaimMissing, "required claim `{c}` is missing (verify.requiredclaims)");
            }
        }
        Ok(())
    }

    fn check_audience(&self, audiences: &Audiences, resource_url: Option<&str>) -> Result<()> {
        match audiences {
            Audiences::All => Ok(()),
            Audiences::List(allowed) => {
                if self.aud.iter().any(|a| allowed.iter().any(|x| x == a)) {
                    return Ok(());
                }
                bail!(AudienceNotAllowed, "the token's audience is not one of verify.audiences ({})", allowed.join(", "));
            }
            Audiences::Unset if self.aud.is_empty() => Ok(()),
            Audiences::Unset => {
                let covered = resource_url.is_some_and(|url| self.aud.iter().any(|a| url_covers(a, url)));
                if covered {
                    return Ok(());
                }
                match resource_url {
                    Some(url) => bail!(
                        AudienceNotAllowed,
                        "no audience of the token covers the resource URL `{}`; set verify.audiences",
                        truncate(url, 120)
                    ),
                    None => bail!(
                        AudienceNotAllowed,
                        "the token has an audience but verify.audiences is not set and no resource URL was given"
                    ),
                }
            }
        }
    }
}

/// Liberty's rule: an audience URL covers a resource URL when it is a
/// prefix ending at a path boundary (`https://h/a` covers `https://h/a/b`
/// and `https://h/a?x`, not `https://h/ab`).
pub fn url_covers(aud: &str, url: &str) -> bool {
    let is_url = aud.starts_with("https://") || aud.starts_with("http://");
    if !is_url || !url.starts_with(aud) {
        return false;
    }
    aud.ends_with('/') || matches!(url.as_bytes().get(aud.len()), None | Some(b'/' | b'?' | b'#'))
}

#[cfg(test)]
mod tests {
    use super::url_covers;

    #[test]
    fn liberty_audience_prefix_ends_at_a_path_boundary() {
        assert!(url_covers("https://h/a", "https://h/a"));
        assert!(url_covers("https://h/a", "https://h/a/b"));
        assert!(url_covers("https://h/a", "https://h/a?x"));
        assert!(url_covers("https://h/a/", "https://h/a/b"));
        assert!(!url_covers("https://h/a", "https://h/ab"));
        assert!(!url_covers("api", "api"));
        assert!(!url_covers("https://h/a/b", "https://h/a"));
    }
}
