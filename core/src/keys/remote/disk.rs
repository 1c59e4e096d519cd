//! `verify.keyloader.cache.dir`: the last good response of a remote key
//! source, kept on disk so that a restart during a key-server outage still
//! verifies. Written atomically (temp file + rename) and checked when read:
//! same loader and URIs, an intact checksum, and a body that still parses.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::digest;
use base64::Engine;
use serde_json::{Value, json};

const FORMAT: u64 = 1;

/// A response as persisted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub body: Vec<u8>,
    pub etag: Option<String>,
    /// Clock seconds when the body was last fetched or revalidated.
    pub validated_at: u64,
    /// Clock seconds until which it counts as fresh.
    pub fresh_until: u64,
}

pub struct DiskCache {
    path: PathBuf,
    /// Binds the file to this loader and URI list: a changed configuration
    /// must never pick up keys fetched for another one.
    identity: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

impl DiskCache {
    pub fn new(dir: &Path, profile: &str, loader: &str, uris: &[String]) -> DiskCache {
        let identity = format!("{loader}\n{}", uris.join("\n"));
        // Readable names help an operator; the hash keeps them unique and safe.
        let readable: String =
            profile.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect();
        let name = format!("jwtgate-{readable}-{}.json", &sha256(format!("{profile}\n{identity}").as_bytes())[..16]);
        DiskCache { path: dir.join(name), identity }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved response, or why it cannot be used (`Ok(None)`: no file).
    pub fn load(&self) -> Result<Option<Saved>, String> {
        let text = match std::fs::read(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        };
        let v: Value = serde_json::from_slice(&text).map_err(|_| format!("{} is not valid JSON", self.path.display()))?;
        let field = |name: &str| v.get(name).ok_or_else(|| format!("{} lacks `{name}`", self.path.display()));
        if field("format")?.as_u64() != Some(FORMAT) {
            return Err(format!("{} has an unknown format", self.path.display()));
        }
        if field("source")?.as_str() != Some(self.identity.as_str()) {
            return Err(format!("{} was written for another loader or URI list", self.path.display()));
        }
        let body = field("body")?
            .as_str()
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .ok_or_else(|| format!("{} has a damaged body", self.path.display()))?;
        if field("sha256")?.as_str() != Some(sha256(&body).as_str()) {
            return Err(format!("{} fails its checksum", self.path.display()));
        }
        let secs = |name: &str| field(name).and_then(|x| x.as_u64().ok_or_else(|| format!("`{name}` is not a number")));
        Ok(Some(Saved {
            body,
            etag: v.get("etag").and_then(Value::as_str).map(str::to_string),
            validated_at: secs("validated_at")?,
            fresh_until: secs("fresh_until")?,
        }))
    }

    /// Writes beside the target and renames over it, so a reader (another
    /// process starting up) sees the old file or the new one, never half.
    pub fn store(&self, saved: &Saved) -> Result<(), String> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let doc = json!({
            "format": FORMAT,
            "source": self.identity,
            "validated_at": saved.validated_at,
            "fresh_until": saved.fresh_until,
            "etag": saved.etag,
            "sha256": sha256(&saved.body),
            "body": base64::engine::general_purpose::STANDARD.encode(&saved.body),
        });
        let tmp = dir.join(format!(
            ".{}.{}.{}.tmp",
            self.path.file_name().and_then(|n| n.to_str()).unwrap_or("jwtgate"),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(doc.to_string().as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", self.path.display())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("jwtgate-disk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn saved() -> Saved {
        Saved { body: b"{\"keys\":[]}".to_vec(), etag: Some("\"e1\"".into()), validated_at: 100, fresh_until: 700 }
    }

    #[test]
    fn round_trip_and_no_file() {
        let d = dir("rt");
        let c = DiskCache::new(&d, "default", "httpsjwks", &["https://a/jwks".into()]);
        assert_eq!(c.load(), Ok(None));
        c.store(&saved()).unwrap();
        assert_eq!(c.load(), Ok(Some(saved())));
        // No temp file is left behind.
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn tampered_body_fails_its_checksum() {
        let d = dir("tamper");
        let c = DiskCache::new(&d, "default", "httpsjwks", &["https://a/jwks".into()]);
        c.store(&saved()).unwrap();
        let text = std::fs::read_to_string(c.path()).unwrap();
        let other = base64::engine::general_purpose::STANDARD.encode(b"{\"keys\":[1]}");
        std::fs::write(c.path(), text.replace(&base64::engine::general_purpose::STANDARD.encode(saved().body), &other)).unwrap();
        assert!(c.load().unwrap_err().contains("checksum"));
    }

    #[test]
    fn a_file_for_other_uris_is_not_used() {
        let d = dir("other");
        let a = DiskCache::new(&d, "default", "httpsjwks", &["https://a/jwks".into()]);
        a.store(&saved()).unwrap();
        let b = DiskCache::new(&d, "default", "httpsjwks", &["https://b/jwks".into()]);
        assert_ne!(a.path(), b.path());
        std::fs::copy(a.path(), b.path()).unwrap();
        assert!(b.load().unwrap_err().contains("another loader"));
    }
}
