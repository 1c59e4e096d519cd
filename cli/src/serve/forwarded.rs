//! The original request's URL, rebuilt from what the gateway forwards, for
//! Liberty's audience rule (an `aud` that is a URL must prefix the resource
//! URL). Without a trustworthy URL the core refuses such tokens, so every
//! doubt here yields `None` (fail closed), never a guess.

/// First value of a header, and for list-valued headers (`X-Forwarded-Host`,
/// `-Proto`, which proxies append to) the first element: the client-facing hop.
fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
}

fn first_of_list(v: &str) -> &str {
    v.split(',').next().unwrap_or("").trim()
}

/// `proto://host/path?query` from, in order:
/// - the path: `X-Forwarded-Uri` (Traefik), `X-Original-URI` (nginx
///   `auth_request` examples), else `suffix`: what follows `/auth/<endpoint>`
///   in the check request's own path (Envoy `ext_authz` appends the original
///   path to its `path_prefix`). An absolute `http(s)://` value is taken whole.
/// - the host: `X-Forwarded-Host`, else `Host` (Envoy keeps the original one).
/// - the scheme: `X-Forwarded-Proto`, else `http`.
pub fn resource_url(headers: &[(&str, &str)], suffix: &str) -> Option<String> {
    let path = header(headers, "x-forwarded-uri")
        .or_else(|| header(headers, "x-original-uri"))
        .or_else(|| suffix.starts_with('/').then_some(suffix))
        .filter(|p| !p.is_empty())?;
    if path.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return None;
    }
    let lower = path.get(..8).unwrap_or(path).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(path.to_string());
    }
    if !path.starts_with('/') {
        return None;
    }
    let host = first_of_list(header(headers, "x-forwarded-host").or_else(|| header(headers, "host"))?);
    // A host with a path, userinfo or fragment character would let a client
    // move the URL's path boundary; such a request gets no URL at all.
    if host.is_empty() || host.chars().any(|c| matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_ascii_whitespace() || c.is_ascii_control()) {
        return None;
    }
    let proto = match header(headers, "x-forwarded-proto").map(first_of_list) {
        None | Some("") => "http",
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        Some(p) if p.eq_ignore_ascii_case("http") => "http",
        Some(_) => return None,
    };
    Some(format!("{proto}://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::resource_url;

    #[test]
    fn nginx_style_headers_build_the_url() {
        let h = [("X-Original-URI", "/api/orders?x=1"), ("X-Forwarded-Host", "shop.example"), ("X-Forwarded-Proto", "https")];
        assert_eq!(resource_url(&h, "").as_deref(), Some("https://shop.example/api/orders?x=1"));
    }

    #[test]
    fn traefik_forwarded_uri_wins_over_original_uri() {
        let h = [("x-forwarded-uri", "/a"), ("x-original-uri", "/b"), ("x-forwarded-host", "h")];
        assert_eq!(resource_url(&h, "/c").as_deref(), Some("http://h/a"));
    }

    #[test]
    fn envoy_style_suffix_and_host_header() {
        let h = [("host", "api.example:8443"), ("x-forwarded-proto", "https")];
        assert_eq!(resource_url(&h, "/v1/x").as_deref(), Some("https://api.example:8443/v1/x"));
    }

    #[test]
    fn list_valued_host_and_proto_take_the_first_hop() {
        let h = [("x-forwarded-uri", "/p"), ("x-forwarded-host", "front.example, inner"), ("x-forwarded-proto", "https,http")];
        assert_eq!(resource_url(&h, "").as_deref(), Some("https://front.example/p"));
    }

    #[test]
    fn doubtful_input_gives_no_url() {
        // No path at all.
        assert_eq!(resource_url(&[("host", "h")], ""), None);
        // No host.
        assert_eq!(resource_url(&[("x-forwarded-uri", "/p")], ""), None);
        // A host that would move the path boundary.
        assert_eq!(resource_url(&[("x-forwarded-uri", "/p"), ("x-forwarded-host", "evil.example/a")], ""), None);
        assert_eq!(resource_url(&[("x-forwarded-uri", "/p"), ("x-forwarded-host", "a@b")], ""), None);
        // An unknown scheme.
        assert_eq!(resource_url(&[("x-forwarded-uri", "/p"), ("host", "h"), ("x-forwarded-proto", "gopher")], ""), None);
        // A relative path.
        assert_eq!(resource_url(&[("x-forwarded-uri", "p"), ("host", "h")], ""), None);
    }

    #[test]
    fn absolute_uri_is_taken_whole() {
        let h = [("x-original-uri", "https://h.example/a/b"), ("host", "other")];
        assert_eq!(resource_url(&h, "").as_deref(), Some("https://h.example/a/b"));
    }
}
