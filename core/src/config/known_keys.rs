//! The table of every setting jwtgate knows: its name, default and one line
//! of documentation. Unknown keys are matched against it for "did you mean".

/// Where a profile setting belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Part of the key source: never inherited from the default profile.
    KeySource,
    /// Inherited by issuer profiles from the default profile.
    Inherited,
    /// Only meaningful in the default profile.
    GateWide,
}

pub struct Setting {
    pub name: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

const fn s(name: &'static str, default: &'static str, kind: Kind, doc: &'static str) -> Setting {
    Setting { name, default, kind, doc }
}

/// Settings after `yfs.yfs.jwt.` or `yfs.yfs.jwt.<issuer>.`.
/// `verify.propkeyloader.<kid>` is a prefix and handled apart.
pub const PROFILE_SETTINGS: &[Setting] = &[
    s("verify.keyloader", "", Kind::KeySource, "properties | httpsjwks | httpsjwk | httpsbase64 | sharedkey | file | <custom loader name>"),
    s("verify.keyloader.httpsuri", "", Kind::KeySource, "URI(s) of the JWKS / JWK / base64 key, comma-separated for failover"),
    s("verify.sharedkey", "", Kind::KeySource, "HMAC secret for `sharedkey` (`base64:` prefix for binary)"),
    s("verify.keyloader.path", "", Kind::KeySource, "PEM key, certificate or JWKS file for `file`"),
    s("verify.keyloader.truststore", "system roots", Kind::KeySource, "PEM CA bundle trusted for https URIs"),
    s("verify.keyloader.timeout", "5", Kind::KeySource, "seconds per fetch"),
    s("verify.keyloader.cache.ttl", "600", Kind::KeySource, "seconds between background refreshes"),
    s("verify.keyloader.cache.maxstale", "86400", Kind::KeySource, "seconds a stale key set keeps serving while its source fails"),
    s("verify.keyloader.cache.dir", "", Kind::KeySource, "directory where the last good key set is persisted"),
    s("verify.keyloader.refresh.cooldown", "30", Kind::KeySource, "minimum seconds between refetches caused by unknown kids"),
    s("verify.keyloader.allowhttp", "false", Kind::KeySource, "allow http:// URIs on loopback (tests only)"),
    s("verify.algorithms", "what the keys allow", Kind::Inherited, "allow-list of JWS algorithms, e.g. RS256,ES256"),
    s("verify.audiences", "", Kind::Inherited, "accepted audiences (comma list) or ALL_AUDIENCES"),
    s("verify.issuers", "any", Kind::GateWide, "default profile only: accepted `iss` values (comma list); issuer profiles accept exactly their own name"),
    s("verify.requiredclaims", "exp", Kind::Inherited, "claims that must be present (comma list)"),
    s("verify.clockskew", "60", Kind::Inherited, "seconds of tolerance for exp/nbf/iat"),
    s("verify.tokencache.size", "1000", Kind::GateWide, "verified-token cache entries per thread (0 disables)"),
    s("verify.maxtokensize", "16384", Kind::GateWide, "largest accepted token in bytes"),
    s("defclaimparser.user.path", "sub", Kind::Inherited, "claim path of the user name"),
    s("defclaimparser.user.email.path", "", Kind::Inherited, "claim path of the e-mail address"),
    s("defclaimparser.path.delim", ".", Kind::Inherited, "separator between the parts of a claim path"),
    s("defclaimparser.groups.path", "groups (else groupIds)", Kind::Inherited, "claim path of the group list"),
    s("defclaimparser.realm.path", "realmName, else iss", Kind::Inherited, "claim path of the realm"),
    s("defclaimparser.uniqueid.path", "the user", Kind::Inherited, "claim path of the unique id"),
];

/// The prefix of per-kid keys in the `properties` loader.
pub const PROPKEY_PREFIX: &str = "verify.propkeyloader.";

/// Settings after `<endpoint>.servlet.jwt.`.
pub const ENDPOINT_SETTINGS: &[Setting] = &[
    s("auth.enabled", "false", Kind::Inherited, "`true` turns JWT authentication on for the endpoint"),
    s("header.name", "", Kind::Inherited, "read the token only from this header"),
    s("cookie.name", "", Kind::Inherited, "also read the token from this cookie (z/OSMF: jwtToken)"),
    s("issuers", "all", Kind::Inherited, "profiles (issuer names, or `default`) this endpoint accepts"),
];

pub fn profile_setting(name: &str) -> Option<&'static Setting> {
    PROFILE_SETTINGS.iter().find(|s| s.name == name)
}

/// The known name closest to `unknown` (edit distance), if it is close enough
/// to be a plausible typo.
pub fn closest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::levenshtein(unknown, k), k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_setting_for_a_typo() {
        let names = PROFILE_SETTINGS.iter().map(|s| s.name);
        assert_eq!(closest("verfy.keyloader", names), Some("verify.keyloader"));
        let names = PROFILE_SETTINGS.iter().map(|s| s.name);
        assert_eq!(closest("completely.else", names), None);
    }
}

#[cfg(test)]
mod docs_tests {
    use super::*;

    #[test]
    fn every_known_key_is_documented_in_config_md() {
        let doc = include_str!("../../../docs/CONFIG.md");
        for s in PROFILE_SETTINGS.iter().chain(ENDPOINT_SETTINGS) {
            assert!(doc.contains(&format!("`{}`", s.name)) || doc.contains(&format!(".{}`", s.name)), "{} is not in docs/CONFIG.md", s.name);
        }
        assert!(doc.contains("verify.propkeyloader.<kid>"));
    }
}
