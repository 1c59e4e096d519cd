//! Token sources of a request (DESIGN §3.5): the configured header, else
//! `Authorization: Bearer`, the configured cookie, the `access_token` form
//! parameter. Two different tokens in one request are refused.

use crate::config::EndpointConfig;
use crate::error::{Result, bail};

/// An HTTP request as a host sees it. Header names are case-insensitive.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub headers: &'a [(&'a str, &'a str)],
    /// The resource URL, for Liberty's audience rule.
    pub url: Option<&'a str>,
    pub body: Option<&'a [u8]>,
}

impl<'a> Request<'a> {
    fn header_values(&self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    }
}

/// `Bearer <token>` (scheme case-insensitive) → the token.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim()).filter(|t| !t.is_empty())
}

fn cookies<'a>(header: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    header.split(';').filter_map(move |pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"')).filter(|v| !v.is_empty())
    })
}

pub fn extract_token(endpoint: &EndpointConfig, req: &Request<'_>) -> Result<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |t: &str| {
        if !found.iter().any(|f| f == t) {
            found.push(t.to_string());
        }
    };
    if let Some(name) = endpoint.header_name.as_deref() {
        for v in req.header_values(name) {
            add(bearer(v).unwrap_or(v));
        }
    } else {
        req.header_values("authorization").filter_map(bearer).for_each(&mut add);
        if let Some(cookie) = endpoint.cookie_name.as_deref() {
            for h in req.header_values("cookie") {
                cookies(h, cookie).for_each(&mut add);
            }
        }
        let form = req
            .header_values("content-type")
            .next()
            .is_none_or(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if let (true, Some(body)) = (form, req.body) {
            for (k, v) in form_urlencoded::parse(body) {
                if k == "access_token" && !v.is_empty() {
                    add(&v);
                }
            }
        }
    }
    match found.len() {
        0 => bail!(TokenMissing, "the request carries no token"),
        1 => Ok(found.pop().expect("one")),
        n => bail!(MultipleTokens, "the request carries {n} different tokens; send exactly one"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Reason;

    fn ep(header: Option<&str>, cookie: Option<&str>) -> EndpointConfig {
        EndpointConfig { enabled: true, header_name: header.map(Into::into), cookie_name: cookie.map(Into::into), issuers: None }
    }

    #[test]
    fn sources_in_order_and_conflicts() {
        let h = [("Authorization", "bearer abc")];
        let r = Request { headers: &h, ..Default::default() };
        assert_eq!(extract_token(&ep(None, None), &r).unwrap(), "abc");
        let h = [("Cookie", "a=1; jwtToken=xyz")];
        let r = Request { headers: &h, ..Default::default() };
        assert_eq!(extract_token(&ep(None, Some("jwtToken")), &r).unwrap(), "xyz");
        assert_eq!(extract_token(&ep(None, None), &r).unwrap_err().reason(), Reason::TokenMissing);
        let h = [("Authorization", "Bearer abc"), ("Cookie", "jwtToken=xyz")];
        let r = Request { headers: &h, ..Default::default() };
        assert_eq!(extract_token(&ep(None, Some("jwtToken")), &r).unwrap_err().reason(), Reason::MultipleTokens);
        let h = [("Authorization", "Bearer abc"), ("Cookie", "jwtToken=abc")];
        let r = Request { headers: &h, ..Default::default() };
        assert_eq!(extract_token(&ep(None, Some("jwtToken")), &r).unwrap(), "abc");
        let h = [("X-JWT", "tok"), ("Authorization", "Bearer other")];
        let r = Request { headers: &h, ..Default::default() };
        assert_eq!(extract_token(&ep(Some("x-jwt"), None), &r).unwrap(), "tok");
        let r = Request { headers: &[], body: Some(b"a=1&access_token=t%2B1"), url: None };
        assert_eq!(extract_token(&ep(None, None), &r).unwrap(), "t+1");
    }
}
