//! Shared by the `jwtgate serve` tests: a temp dir, a test configuration and
//! tokens from the fixture keys, the server process, a tiny HTTP/1.1 client.
#![allow(dead_code)] // each test file uses a different part of this

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use jwtgate_core::{Alg, testkit};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixture_key(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/keys").join(name)).unwrap()
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!("jwtgate-{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The body of a PEM file: base64 of the DER, one of the forms
/// `verify.propkeyloader.<kid>` accepts.
fn pem_body(pem: &[u8]) -> String {
    String::from_utf8_lossy(pem).lines().filter(|l| !l.starts_with("-----")).collect()
}

/// A port nothing listens on (bound, then released): connections are refused.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The test configuration:
/// - default profile: RS256 key `k1` (rsa2048), email at `email`, groups at `groups`,
///   no `verify.audiences` (so Liberty's URL-prefix audience rule applies);
/// - profile `down-idp`: a JWKS URI nothing answers (key_source_unavailable);
/// - endpoints: `xapirest` (Bearer, cookie `jwtToken`, access_token), `hdrapi`
///   (only header `X-Api-Token`), `onlydown` (issuers `down-idp` only), `off` (disabled).
pub fn test_config(extra: &str) -> String {
    format!(
        "yfs.yfs.jwt.verify.keyloader=properties\n\
         yfs.yfs.jwt.verify.propkeyloader.k1={}\n\
         yfs.yfs.jwt.verify.algorithms=RS256\n\
         yfs.yfs.jwt.defclaimparser.user.email.path=email\n\
         yfs.yfs.jwt.down-idp.verify.keyloader=httpsjwks\n\
         yfs.yfs.jwt.down-idp.verify.keyloader.httpsuri=http\\://127.0.0.1\\:{}/jwks\n\
         yfs.yfs.jwt.down-idp.verify.keyloader.allowhttp=true\n\
         yfs.yfs.jwt.down-idp.verify.keyloader.timeout=1\n\
         xapirest.servlet.jwt.auth.enabled=true\n\
         xapirest.servlet.jwt.cookie.name=jwtToken\n\
         hdrapi.servlet.jwt.auth.enabled=true\n\
         hdrapi.servlet.jwt.header.name=X-Api-Token\n\
         onlydown.servlet.jwt.auth.enabled=true\n\
         onlydown.servlet.jwt.issuers=down-idp\n\
         off.servlet.jwt.auth.enabled=false\n\
         {extra}",
        pem_body(&fixture_key("rsa2048.pub.pem")),
        closed_port()
    )
}

/// RS256 with the trusted key and kid `k1`.
pub fn token(payload: &str) -> String {
    testkit::sign(Alg::RS256, r#"{"alg":"RS256","kid":"k1"}"#, payload, &fixture_key("rsa2048.pk8.pem"))
}

pub const ALICE: &str =
    r#"{"sub":"alice","email":"alice@example.com","groups":["admins","csr"],"iss":"https://issuer.example","exp":4102444800}"#;

/// A running `jwtgate serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(config: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jwtgate"))
            .args(["serve", "--config"])
            .arg(config)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the server's first line: {line:?}"));
        Server { child, port }
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        http(self.port, "GET", path, headers, b"")
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status().unwrap().success();
        assert!(ok, "kill -{sig} failed");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One request on its own connection (`Connection: close`), read to EOF.
pub fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

pub fn parse(raw: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no header end in {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Resp { status, headers, body: body.to_string() }
}
