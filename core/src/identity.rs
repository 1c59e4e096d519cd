//! The claim parser (DESIGN §3.4): configured paths → [`Identity`].

use serde::Serialize;
use serde_json::Value;

use crate::claims::Claims;
use crate::config::ClaimPaths;
use crate::error::{Result, bail};
use crate::json::truncate;

/// Who the verified token speaks for. Field names are the contract of
/// DESIGN §4 and appear as-is in the CLI's JSON and every binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    pub user: String,
    pub email: Option<String>,
    pub groups: Vec<String>,
    pub realm: String,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub audience: Vec<String>,
    pub expires_at: Option<i64>,
    pub issued_at: Option<i64>,
    pub kid: Option<String>,
    pub alg: String,
    pub profile: String,
    pub unique_id: String,
    pub claims: Value,
}

/// Resolves a claim path. The whole path is first tried as one member name
/// (claims such as `https://acme.com/email` contain the delimiter), then
/// split on the delimiter; array elements are reached by index.
pub fn resolve<'a>(claims: &'a Value, path: &str, delim: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(path) {
        return Some(v);
    }
    let mut cur = claims;
    for part in path.split(delim) {
        cur = match cur {
            Value::Object(m) => m.get(part)?,
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn groups_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(as_text).collect(),
        other => as_text(other).into_iter().collect(),
    }
}

pub struct TokenFacts<'a> {
    pub kid: Option<&'a str>,
    pub alg: &'a str,
    pub profile: &'a str,
}

/// Maps verified claims to an identity. The user must resolve to a string.
/// `claims` is left `Null`: the caller moves the payload in (no deep copy).
pub fn map(payload: &Value, claims: &Claims<'_>, paths: &ClaimPaths, facts: TokenFacts<'_>) -> Result<Identity> {
    let get = |p: &str| resolve(payload, p, &paths.delim);
    let user = match get(&paths.user) {
        Some(Value::String(u)) if !u.is_empty() => u.clone(),
        Some(Value::String(_)) => bail!(UserClaimMissing, "the user claim `{}` is empty", truncate(&paths.user, 80)),
        Some(Value::Null) | None => {
            bail!(UserClaimMissing, "the token has no user claim at `{}` (defclaimparser.user.path)", truncate(&paths.user, 80))
        }
        Some(_) => bail!(UserClaimMissing, "the user claim `{}` is not a string", truncate(&paths.user, 80)),
    };
    let email = paths.email.as_deref().and_then(get).and_then(|v| v.as_str().map(str::to_string));
    let groups = match &paths.groups {
        Some(p) => get(p).map(groups_of).unwrap_or_default(),
        None => payload.get("groups").or_else(|| payload.get("groupIds")).map(groups_of).unwrap_or_default(),
    };
    // The configured realm path, else `realmName`, else the issuer (Liberty).
    let realm = match &paths.realm {
        Some(p) => get(p).and_then(as_text),
        None => payload.get("realmName").and_then(as_text),
    }
    .or_else(|| claims.iss.map(str::to_string))
    .unwrap_or_default();
    let unique_id = paths.unique_id.as_deref().and_then(get).and_then(as_text).unwrap_or_else(|| user.clone());
    Ok(Identity {
        user,
        email,
        groups,
        realm,
        issuer: claims.iss.map(str::to_string),
        subject: claims.sub.map(str::to_string),
        audience: claims.aud.iter().map(|a| a.to_string()).collect(),
        expires_at: claims.exp.map(|t| t as i64),
        issued_at: claims.iat.map(|t| t as i64),
        kid: facts.kid.map(str::to_string),
        alg: facts.alg.to_string(),
        profile: facts.profile.to_string(),
        unique_id,
        claims: Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sterling_examples_resolve_literally() {
        let c = json!({"userid":"testuser","otherinfo":{"email":"test@foo.com"}});
        assert_eq!(resolve(&c, "otherinfo.email", "."), Some(&json!("test@foo.com")));
        let c = json!({"www.foo.com/otherinfo":{"email":"x@foo.com"}});
        assert_eq!(resolve(&c, "www.foo.com/otherinfo$email", "$"), Some(&json!("x@foo.com")));
        let c = json!({"a":[{"b":"first"}]});
        assert_eq!(resolve(&c, "a.0.b", "."), Some(&json!("first")));
        assert_eq!(resolve(&c, "a.1.b", "."), None);
    }
}
