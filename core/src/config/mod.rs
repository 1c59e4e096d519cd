//! `Config`: the `yfs.yfs.jwt.*` and `*.servlet.jwt.*` keys of a properties
//! file, checked and typed. Profiles by issuer (DESIGN §3.1), key sources
//! (§3.2), claim checks (§3.3), claim paths (§3.4) and endpoints (§3.5).

pub mod known_keys;
pub mod properties;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::alg::{Alg, AlgSet};
use crate::error::{Error, Reason, Result, bail, err};
use known_keys::{ENDPOINT_SETTINGS, Kind, PROFILE_SETTINGS, PROPKEY_PREFIX};
use properties::Entry;

pub const PREFIX: &str = "yfs.yfs.jwt.";
const ENDPOINT_MARK: &str = ".servlet.jwt.";
/// The name of the profile used when a token's `iss` has no profile of its own.
pub const DEFAULT_PROFILE: &str = "default";

/// A whole configuration, ready to build a `Gate` from.
#[derive(Debug, Clone)]
pub struct Config {
    /// The default profile; `None` when `yfs.yfs.jwt.*` sets no key source
    /// (its settings are then only inherited by issuer profiles).
    pub default: Option<ProfileConfig>,
    /// Issuer profiles, in file order.
    pub issuers: Vec<ProfileConfig>,
    pub endpoints: BTreeMap<String, EndpointConfig>,
    pub token_cache_size: usize,
    pub max_token_size: usize,
    /// Unknown keys and other things worth fixing; never fatal.
    pub warnings: Vec<Warning>,
    /// Directory of the properties file (relative paths resolve against it).
    pub base_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub key: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.key, self.message)
    }
}

/// Everything that decides whether a token of one issuer is accepted.
#[derive(Debug, Clone)]
pub struct ProfileConfig {
    /// `default` or the issuer name.
    pub name: String,
    pub keys: KeySourceConfig,
    /// `verify.algorithms`; `None`: what the keys allow.
    pub algorithms: Option<AlgSet>,
    pub audiences: Audiences,
    /// `verify.issuers`: accepted `iss` values; `None` accepts any (issuer
    /// profiles always require their own name).
    pub issuers: Option<Vec<String>>,
    pub required_claims: Vec<String>,
    pub clock_skew: u64,
    pub claims: ClaimPaths,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audiences {
    /// Not configured: Liberty's URL-prefix rule applies to URL audiences.
    Unset,
    All,
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPaths {
    pub delim: String,
    pub user: String,
    pub email: Option<String>,
    pub groups: Option<String>,
    pub realm: Option<String>,
    pub unique_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loader {
    Properties,
    SharedKey,
    File,
    HttpsJwks,
    HttpsJwk,
    HttpsBase64,
    /// Registered by the host under this name (or a Java class name).
    Custom(String),
}

impl Loader {
    pub fn name(&self) -> &str {
        match self {
            Loader::Properties => "properties",
            Loader::SharedKey => "sharedkey",
            Loader::File => "file",
            Loader::HttpsJwks => "httpsjwks",
            Loader::HttpsJwk => "httpsjwk",
            Loader::HttpsBase64 => "httpsbase64",
            Loader::Custom(n) => n,
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, Loader::HttpsJwks | Loader::HttpsJwk | Loader::HttpsBase64)
    }
}

/// A secret that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropKey {
    pub kid: String,
    pub value: String,
    pub line: usize,
}

/// Where a profile's keys come from and how they are cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySourceConfig {
    pub loader: Loader,
    /// Line of `verify.keyloader` (0 when inferred).
    pub line: usize,
    pub propkeys: Vec<PropKey>,
    pub uris: Vec<String>,
    pub shared_key: Option<Secret>,
    pub path: Option<PathBuf>,
    pub truststore: Option<PathBuf>,
    pub timeout: Duration,
    pub ttl: Duration,
    pub max_stale: Duration,
    pub cache_dir: Option<PathBuf>,
    pub cooldown: Duration,
    pub allow_http: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointConfig {
    pub enabled: bool,
    pub header_name: Option<String>,
    pub cookie_name: Option<String>,
    /// Profiles (issuer names or `default`) accepted; `None`: all.
    pub issuers: Option<Vec<String>>,
}

/// A raw value and the line it came from.
#[derive(Debug, Clone)]
struct Raw {
    value: String,
    line: usize,
}

#[derive(Debug, Default)]
struct RawProfile {
    settings: BTreeMap<&'static str, Raw>,
    propkeys: Vec<PropKey>,
    first_line: usize,
}

impl Config {
    /// Parses properties text. `base_dir` anchors relative paths.
    pub fn from_properties(text: &str, base_dir: Option<&Path>) -> Result<Config> {
        let entries = properties::parse(text)?;
        build(&entries, base_dir)
    }

    pub fn from_file(path: &Path) -> Result<Config> {
        let text = properties::read_file(path)?;
        Config::from_properties(&text, path.parent())
    }

    /// All profiles that accept tokens, default first.
    pub fn profiles(&self) -> impl Iterator<Item = &ProfileConfig> {
        self.default.iter().chain(self.issuers.iter())
    }
}

fn build(entries: &[Entry], base_dir: Option<&Path>) -> Result<Config> {
    let mut warnings = Vec::new();
    let mut default = RawProfile::default();
    let mut issuers: Vec<(String, RawProfile)> = Vec::new();
    let mut endpoints: BTreeMap<String, BTreeMap<&'static str, Raw>> = BTreeMap::new();

    for e in entries {
        if let Some(rest) = e.key.strip_prefix(PREFIX) {
            let Some((issuer, target)) = split_profile_key(rest) else {
                warnings.push(unknown_key_warning(e, rest));
                continue;
            };
            let profile = match issuer {
                None => &mut default,
                Some(iss) => match issuers.iter().position(|(n, _)| n == iss) {
                    Some(i) => &mut issuers[i].1,
                    None => {
                        issuers.push((iss.to_string(), RawProfile { first_line: e.line, ..Default::default() }));
                        &mut issuers.last_mut().expect("just pushed").1
                    }
                },
            };
            match target {
                Target::PropKey(kid) => {
                    if kid.is_empty() {
                        warnings.push(warn(e, "a propkeyloader key needs a kid after the last dot; ignored"));
                        continue;
                    }
                    profile.propkeys.retain(|k| k.kid != kid);
                    profile.propkeys.push(PropKey { kid: kid.to_string(), value: e.value.trim().to_string(), line: e.line });
                }
                Target::Setting(name) => {
                    let raw = Raw { value: e.value.trim().to_string(), line: e.line };
                    if let Some(old) = profile.settings.insert(name, raw) {
                        warnings.push(warn(e, &format!("also set on line {}; the later value wins", old.line)));
                    }
                }
            }
        } else if let Some(at) = e.key.find(ENDPOINT_MARK) {
            let endpoint = &e.key[..at];
            let setting = &e.key[at + ENDPOINT_MARK.len()..];
            match ENDPOINT_SETTINGS.iter().find(|s| s.name == setting) {
                Some(s) => {
                    endpoints
                        .entry(endpoint.to_string())
                        .or_default()
                        .insert(s.name, Raw { value: e.value.trim().to_string(), line: e.line });
                }
                None => {
                    let hint = known_keys::closest(setting, ENDPOINT_SETTINGS.iter().map(|s| s.name));
                    let msg = match hint {
                        Some(h) => format!("unknown key; did you mean `{endpoint}{ENDPOINT_MARK}{h}`?"),
                        None => "unknown key; ignored".to_string(),
                    };
                    warnings.push(warn(e, &msg));
                }
            }
        }
    }

    let gate_wide = |name: &str, default_value: usize| -> Result<usize> {
        match default.settings.get(name) {
            None => Ok(default_value),
            Some(raw) => parse_number(raw, &format!("{PREFIX}{name}")).map(|n| n as usize),
        }
    };
    let token_cache_size = gate_wide("verify.tokencache.size", 1_000)?;
    let max_token_size = gate_wide("verify.maxtokensize", 16 * 1024)?;
    if max_token_size < 64 {
        bail!(ConfigInvalid, "{PREFIX}verify.maxtokensize must be at least 64 bytes");
    }

    let ctx = Ctx { base_dir };
    let mut issuer_profiles = Vec::new();
    for (name, raw) in &issuers {
        for (setting, value) in &raw.settings {
            if known_keys::profile_setting(setting).is_some_and(|s| s.kind == Kind::GateWide) {
                warnings.push(Warning {
                    line: value.line,
                    key: format!("{PREFIX}{name}.{setting}"),
                    message: format!("only read from the default profile (`{PREFIX}{setting}`); ignored here"),
                });
            }
        }
        issuer_profiles.push(ctx.profile(name, Some(raw), &default)?);
    }
    let default_profile = if has_key_source(&default) {
        Some(ctx.profile(DEFAULT_PROFILE, None, &default)?)
    } else {
        None
    };
    if default_profile.is_none() && issuer_profiles.is_empty() {
        bail!(
            ConfigInvalid,
            "no key source is configured: set {PREFIX}verify.keyloader (and its keys), \
             or {PREFIX}<issuer>.verify.keyloader for each issuer"
        );
    }

    let mut endpoint_configs = BTreeMap::new();
    for (name, settings) in endpoints {
        let mut ep = EndpointConfig::default();
        for (setting, raw) in settings {
            let key = format!("{name}{ENDPOINT_MARK}{setting}");
            match setting {
                "auth.enabled" => ep.enabled = parse_bool(&raw, &key)?,
                "header.name" => ep.header_name = non_empty(&raw.value),
                "cookie.name" => ep.cookie_name = non_empty(&raw.value),
                "issuers" => {
                    let list = split_list(&raw.value);
                    for p in &list {
                        let known = p == DEFAULT_PROFILE || issuer_profiles.iter().any(|i| &i.name == p);
                        if !known {
                            bail!(
                                ConfigInvalid,
                                "{key} on line {} names `{p}`, which is not a configured issuer profile",
                                raw.line
                            );
                        }
                    }
                    ep.issuers = Some(list);
                }
                _ => unreachable!("filtered by ENDPOINT_SETTINGS"),
            }
        }
        endpoint_configs.insert(name, ep);
    }

    Ok(Config {
        default: default_profile,
        issuers: issuer_profiles,
        endpoints: endpoint_configs,
        token_cache_size,
        max_token_size,
        warnings,
        base_dir: base_dir.map(Path::to_path_buf),
    })
}

enum Target<'a> {
    Setting(&'static str),
    PropKey(&'a str),
}

/// Splits what follows `yfs.yfs.jwt.` into (issuer, setting). Issuer names
/// may contain dots, colons and slashes, so the setting is matched as a
/// suffix, longest first; kids (after `verify.propkeyloader.`) may hold dots.
fn split_profile_key(rest: &str) -> Option<(Option<&str>, Target<'_>)> {
    if let Some(kid) = rest.strip_prefix(PROPKEY_PREFIX) {
        return Some((None, Target::PropKey(kid)));
    }
    if let Some(at) = rest.find(&format!(".{PROPKEY_PREFIX}")) {
        let kid = &rest[at + 1 + PROPKEY_PREFIX.len()..];
        return Some((Some(&rest[..at]), Target::PropKey(kid)));
    }
    if let Some(s) = known_keys::profile_setting(rest) {
        return Some((None, Target::Setting(s.name)));
    }
    PROFILE_SETTINGS
        .iter()
        .filter(|s| rest.len() > s.name.len() + 1 && rest.ends_with(s.name))
        .filter(|s| rest.as_bytes()[rest.len() - s.name.len() - 1] == b'.')
        .max_by_key(|s| s.name.len())
        .map(|s| (Some(&rest[..rest.len() - s.name.len() - 1]), Target::Setting(s.name)))
}

fn unknown_key_warning(e: &Entry, rest: &str) -> Warning {
    // Compare the whole remainder and, for issuer-prefixed keys, its last
    // segments, so `verfy.keyloader` and `https://x.verfy.keyloader` both hint.
    let mut best: Option<(usize, String)> = None;
    for s in PROFILE_SETTINGS {
        let parts = s.name.split('.').count();
        let segs: Vec<&str> = rest.split('.').collect();
        let tail_start = segs.len().saturating_sub(parts);
        let tail = segs[tail_start..].join(".");
        let head = segs[..tail_start].join(".");
        let d = strsim::levenshtein(&tail, s.name);
        if d <= 3.max(s.name.len() / 4) && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            let full = if head.is_empty() { format!("{PREFIX}{}", s.name) } else { format!("{PREFIX}{head}.{}", s.name) };
            best = Some((d, full));
        }
    }
    let message = match best {
        Some((_, k)) => format!("unknown key; did you mean `{k}`?"),
        None => "unknown key; ignored".to_string(),
    };
    warn(e, &message)
}

fn warn(e: &Entry, message: &str) -> Warning {
    Warning { line: e.line, key: e.key.clone(), message: message.to_string() }
}

fn has_key_source(p: &RawProfile) -> bool {
    !p.propkeys.is_empty()
        || PROFILE_SETTINGS
            .iter()
            .filter(|s| s.kind == Kind::KeySource)
            .any(|s| matches!(s.name, "verify.keyloader" | "verify.sharedkey" | "verify.keyloader.path" | "verify.keyloader.httpsuri") && p.settings.contains_key(s.name))
}

struct Ctx<'a> {
    base_dir: Option<&'a Path>,
}

impl Ctx<'_> {
    /// Builds one profile. `own` is the issuer profile's raw settings
    /// (`None` for the default profile); `default` supplies inherited ones.
    fn profile(&self, name: &str, own: Option<&RawProfile>, default: &RawProfile) -> Result<ProfileConfig> {
        let key_prefix = if own.is_some() { format!("{PREFIX}{name}.") } else { PREFIX.to_string() };
        let get = |setting: &'static str| -> Option<(&Raw, String)> {
            let key = format!("{key_prefix}{setting}");
            match own {
                None => default.settings.get(setting).map(|r| (r, key)),
                Some(own) => own.settings.get(setting).map(|r| (r, key)).or_else(|| {
                    let inherited = known_keys::profile_setting(setting).is_some_and(|s| s.kind == Kind::Inherited);
                    if inherited { default.settings.get(setting).map(|r| (r, format!("{PREFIX}{setting}"))) } else { None }
                }),
            }
        };
        let raw_keys = own.unwrap_or(default);

        let algorithms = match get("verify.algorithms") {
            None => None,
            Some((raw, key)) => Some(parse_algorithms(raw, &key)?),
        };
        let audiences = match get("verify.audiences") {
            None => Audiences::Unset,
            Some((raw, _)) if raw.value.trim() == "ALL_AUDIENCES" => Audiences::All,
            Some((raw, key)) => {
                let list = split_list(&raw.value);
                if list.is_empty() {
                    bail!(ConfigInvalid, "{key} on line {} is empty; list audiences or use ALL_AUDIENCES", raw.line);
                }
                Audiences::List(list)
            }
        };
        // An issuer profile only ever sees tokens whose `iss` is its name.
        let issuers = if own.is_some() { None } else { get("verify.issuers").map(|(raw, _)| split_list(&raw.value)) };
        let required_claims = match get("verify.requiredclaims") {
            None => vec!["exp".to_string()],
            Some((raw, _)) => split_list(&raw.value),
        };
        let clock_skew = match get("verify.clockskew") {
            None => 60,
            Some((raw, key)) => parse_number(raw, &key)?,
        };
        let path = |setting| get(setting).and_then(|(r, _)| non_empty(&r.value));
        let delim = match get("defclaimparser.path.delim") {
            None => ".".to_string(),
            Some((raw, key)) => {
                // The delimiter is used verbatim, so keep surrounding spaces
                // out only if the value is all spaces (a likely mistake).
                if raw.value.is_empty() {
                    bail!(ConfigInvalid, "{key} on line {} is empty; set one or more characters such as `.` or `$`", raw.line);
                }
                raw.value.clone()
            }
        };
        let claims = ClaimPaths {
            delim,
            user: path("defclaimparser.user.path").unwrap_or_else(|| "sub".to_string()),
            email: path("defclaimparser.user.email.path"),
            groups: path("defclaimparser.groups.path"),
            realm: path("defclaimparser.realm.path"),
            unique_id: path("defclaimparser.uniqueid.path"),
        };

        let keys = self.key_source(name, raw_keys, &key_prefix)?;
        Ok(ProfileConfig {
            name: name.to_string(),
            keys,
            algorithms,
            audiences,
            issuers,
            required_claims,
            clock_skew,
            claims,
        })
    }

    fn key_source(&self, name: &str, raw: &RawProfile, key_prefix: &str) -> Result<KeySourceConfig> {
        let get = |s: &str| raw.settings.get(s).map(|r| (r, format!("{key_prefix}{s}")));
        let (loader, line) = match get("verify.keyloader") {
            Some((r, _)) => (parse_loader(&r.value), r.line),
            None if !raw.propkeys.is_empty() => (Loader::Properties, 0),
            None if raw.settings.contains_key("verify.sharedkey") => (Loader::SharedKey, 0),
            None if raw.settings.contains_key("verify.keyloader.path") => (Loader::File, 0),
            None => bail!(
                ConfigInvalid,
                "profile `{name}` (from line {}) has no {key_prefix}verify.keyloader; set it to properties, \
                 httpsjwks, httpsjwk, httpsbase64, sharedkey, file or a registered loader",
                raw.first_line
            ),
        };
        let seconds = |s: &str, default: u64| -> Result<Duration> {
            match get(s) {
                None => Ok(Duration::from_secs(default)),
                Some((r, key)) => parse_number(r, &key).map(Duration::from_secs),
            }
        };
        let allow_http = match get("verify.keyloader.allowhttp") {
            None => false,
            Some((r, key)) => parse_bool(r, &key)?,
        };
        let uris = match get("verify.keyloader.httpsuri") {
            None => Vec::new(),
            Some((r, key)) => {
                let uris = split_list(&r.value);
                for u in &uris {
                    check_uri(u, allow_http).map_err(|why| err!(ConfigInvalid, "{key} on line {}: {why}", r.line))?;
                }
                uris
            }
        };
        let shared_key = match get("verify.sharedkey") {
            None => None,
            Some((r, key)) => Some(parse_secret(r, &key)?),
        };
        let path_of = |s: &str| get(s).and_then(|(r, _)| non_empty(&r.value)).map(|p| self.resolve(&p));
        let cfg = KeySourceConfig {
            propkeys: raw.propkeys.clone(),
            uris,
            shared_key,
            path: path_of("verify.keyloader.path"),
            truststore: path_of("verify.keyloader.truststore"),
            timeout: seconds("verify.keyloader.timeout", 5)?,
            ttl: seconds("verify.keyloader.cache.ttl", 600)?,
            max_stale: seconds("verify.keyloader.cache.maxstale", 86_400)?,
            cache_dir: path_of("verify.keyloader.cache.dir"),
            cooldown: seconds("verify.keyloader.refresh.cooldown", 30)?,
            allow_http,
            loader,
            line,
        };
        if cfg.timeout.is_zero() {
            bail!(ConfigInvalid, "{key_prefix}verify.keyloader.timeout must be at least 1 second");
        }
        let at = if line > 0 { format!(" (line {line})") } else { String::new() };
        match &cfg.loader {
            Loader::Properties if cfg.propkeys.is_empty() => bail!(
                ConfigInvalid,
                "profile `{name}` uses the properties loader{at} but has no {key_prefix}{PROPKEY_PREFIX}<kid> key"
            ),
            Loader::SharedKey if cfg.shared_key.is_none() => {
                bail!(ConfigInvalid, "profile `{name}` uses sharedkey{at} but {key_prefix}verify.sharedkey is not set")
            }
            Loader::File if cfg.path.is_none() => {
                bail!(ConfigInvalid, "profile `{name}` uses file{at} but {key_prefix}verify.keyloader.path is not set")
            }
            l if l.is_remote() && cfg.uris.is_empty() => bail!(
                ConfigInvalid,
                "profile `{name}` uses {}{at} but {key_prefix}verify.keyloader.httpsuri is not set",
                l.name()
            ),
            _ => {}
        }
        Ok(cfg)
    }

    fn resolve(&self, p: &str) -> PathBuf {
        let p = PathBuf::from(p);
        match self.base_dir {
            Some(base) if p.is_relative() => base.join(p),
            _ => p,
        }
    }
}

fn parse_loader(v: &str) -> Loader {
    match v.trim().to_ascii_lowercase().as_str() {
        "properties" => Loader::Properties,
        "sharedkey" => Loader::SharedKey,
        "file" => Loader::File,
        "httpsjwks" => Loader::HttpsJwks,
        "httpsjwk" => Loader::HttpsJwk,
        "httpsbase64" => Loader::HttpsBase64,
        _ => Loader::Custom(v.trim().to_string()),
    }
}

fn parse_algorithms(raw: &Raw, key: &str) -> Result<AlgSet> {
    let mut set = AlgSet::EMPTY;
    for name in split_list(&raw.value) {
        match Alg::from_name(&name) {
            Some(a) => set.insert(a),
            None => bail!(
                ConfigInvalid,
                "{key} on line {} names `{name}`, which is not a supported algorithm \
                 (RS256/384/512, PS256/384/512, ES256/384/512, EdDSA, HS256/384/512; never none)",
                raw.line
            ),
        }
    }
    if set.is_empty() {
        bail!(ConfigInvalid, "{key} on line {} is empty; list algorithms such as RS256", raw.line);
    }
    Ok(set)
}

fn parse_secret(raw: &Raw, key: &str) -> Result<Secret> {
    use base64::Engine;
    let bytes = match raw.value.strip_prefix("base64:") {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| err!(ConfigInvalid, "{key} on line {} has a `base64:` value that is not valid base64", raw.line))?,
        None => raw.value.as_bytes().to_vec(),
    };
    if bytes.len() < 32 {
        bail!(
            ConfigInvalid,
            "{key} on line {} is {} bytes; an HMAC secret must be at least 32 bytes (RFC 7518 §3.2)",
            raw.line,
            bytes.len()
        );
    }
    if raw.value.contains("-----BEGIN") {
        bail!(ConfigInvalid, "{key} on line {} holds PEM text; a public key can never be an HMAC secret", raw.line);
    }
    Ok(Secret(bytes))
}

/// `https://` always; `http://` only with allowhttp and a loopback host.
pub(crate) fn check_uri(uri: &str, allow_http: bool) -> std::result::Result<(), String> {
    if let Some(rest) = uri.strip_prefix("https://") {
        if rest.is_empty() {
            return Err(format!("`{uri}` has no host"));
        }
        return Ok(());
    }
    if let Some(rest) = uri.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = if host.starts_with('[') { host.split(']').next().unwrap_or("").trim_start_matches('[') } else { host.split(':').next().unwrap_or("") };
        let loopback = matches!(host, "localhost" | "::1") || host.starts_with("127.");
        if allow_http && loopback {
            return Ok(());
        }
        return Err(format!(
            "`{uri}` is plain http; use https (http is allowed only on loopback with verify.keyloader.allowhttp=true)"
        ));
    }
    Err(format!("`{uri}` is not an https:// URI"))
}

fn parse_number(raw: &Raw, key: &str) -> Result<u64> {
    raw.value
        .trim()
        .parse::<u64>()
        .map_err(|_| err!(ConfigInvalid, "{key} on line {} must be a whole number, got `{}`", raw.line, raw.value))
}

fn parse_bool(raw: &Raw, key: &str) -> Result<bool> {
    match raw.value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::new(
            Reason::ConfigInvalid,
            format!("{key} on line {} must be true or false, got `{}`", raw.line, raw.value),
        )),
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn non_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_names_with_dots_colons_and_slashes() {
        let text = "yfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.verify.keyloader=httpsjwks\n\
                    yfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.verify.keyloader.httpsuri=https://idp.acme.com/jwks\n\
                    yfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.verify.propkeyloader.key.v1=abc\n";
        let c = Config::from_properties(text, None).unwrap();
        assert!(c.default.is_none());
        let p = &c.issuers[0];
        assert_eq!(p.name, "https://idp.acme.com:8020/jwt");
        assert_eq!(p.keys.loader, Loader::HttpsJwks);
        assert_eq!(p.keys.propkeys[0].kid, "key.v1");
    }

    #[test]
    fn typo_warns_with_line_and_suggestion() {
        let text = "yfs.yfs.jwt.verify.sharedkey=0123456789abcdef0123456789abcdef\n\nyfs.yfs.jwt.verfy.keyloader=sharedkey\n";
        let c = Config::from_properties(text, None).unwrap();
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].line, 3);
        assert!(c.warnings[0].message.contains("yfs.yfs.jwt.verify.keyloader"), "{}", c.warnings[0].message);
    }

    #[test]
    fn issuer_profiles_inherit_checks_but_never_keys() {
        let text = "yfs.yfs.jwt.verify.clockskew=5\nyfs.yfs.jwt.defclaimparser.user.path=uid\n\
                    yfs.yfs.jwt.iss1.verify.sharedkey=0123456789abcdef0123456789abcdef\n";
        let c = Config::from_properties(text, None).unwrap();
        assert!(c.default.is_none(), "a default without key source is a template only");
        assert_eq!(c.issuers[0].clock_skew, 5);
        assert_eq!(c.issuers[0].claims.user, "uid");
    }

    #[test]
    fn bad_values_name_key_and_line_without_secret() {
        let e = Config::from_properties("yfs.yfs.jwt.verify.sharedkey=short-secret\n", None).unwrap_err();
        assert_eq!(e.reason(), Reason::ConfigInvalid);
        assert!(e.message().contains("line 1") && !e.message().contains("short-secret"), "{e}");
        let e = Config::from_properties("yfs.yfs.jwt.verify.sharedkey=0123456789abcdef0123456789abcdef\nyfs.yfs.jwt.verify.clockskew=1m\n", None).unwrap_err();
        assert!(e.message().contains("verify.clockskew on line 2"), "{e}");
    }

    #[test]
    fn plain_http_needs_allowhttp_and_loopback() {
        assert!(check_uri("https://idp/jwks", false).is_ok());
        assert!(check_uri("http://127.0.0.1:8080/jwks", true).is_ok());
        assert!(check_uri("http://127.0.0.1:8080/jwks", false).is_err());
        assert!(check_uri("http://idp.example.com/jwks", true).is_err());
        assert!(check_uri("ftp://x", true).is_err());
    }
}
