//! A loopback HTTPS key server for fault tests: a test CA made with rcgen,
//! a leaf certificate for 127.0.0.1/localhost, and a tiny HTTP/1.1 server
//! over rustls that a test can reconfigure at any time: publish or rotate
//! key sets, fail with a status, send garbage, an oversized body, answer
//! slowly, redirect, stop and start again on the same port.
//!
//! Used by `core/tests/remote*.rs` through `#[path]`; it depends only on
//! crates the core already has (rustls and rcgen as dev-dependencies).
#![allow(dead_code)]

pub mod jwk;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority for one test (or a few servers of one test).
pub struct TestCa {
    pub cert_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(DnType::CommonName, format!("jwtgate test CA {name}"));
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = p.self_signed(&key).unwrap();
        TestCa { cert_pem: cert.pem(), issuer: Issuer::new(p, key) }
    }

    /// Writes the CA certificate (the truststore a gate is given).
    pub fn write_pem(&self, dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.cert_pem).unwrap();
        path
    }

    fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        p.distinguished_name.push(DnType::CommonName, "127.0.0.1");
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        let chain = vec![CertificateDer::from(cert.der().to_vec())];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let cfg = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        Arc::new(cfg)
    }
}

/// How the server misbehaves, for every path.
#[derive(Debug, Clone)]
pub enum Fault {
    None,
    /// Answer this HTTP status with a short text body.
    Status(u16),
    /// 200 with a body that is not JSON.
    Garbage,
    /// 200 with JSON that is not a key set.
    NotAKeySet,
    /// 200 with a body over 256 KiB, announced in Content-Length.
    Oversized,
    /// 200 with a body over 256 KiB and no Content-Length (read to EOF).
    OversizedUnannounced,
    /// Wait this long before answering.
    Slow(Duration),
}

/// What one path answers when there is no fault.
#[derive(Debug, Clone)]
pub struct Route {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Send an ETag (hash of the body) and honour If-None-Match.
    pub etag: bool,
}

impl Route {
    pub fn ok(body: impl Into<Vec<u8>>) -> Route {
        Route { status: 200, body: body.into(), headers: vec![], etag: true }
    }

    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn redirect(location: &str) -> Route {
        Route { status: 302, body: vec![], headers: vec![("Location".into(), location.into())], etag: false }
    }
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Route>>,
    fault: Mutex<Option<Fault>>,
    hits: Mutex<HashMap<String, u64>>,
    not_modified: AtomicU64,
    running: AtomicBool,
}

pub struct KeyServer {
    shared: Arc<Shared>,
    tls: Arc<rustls::ServerConfig>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
}

impl KeyServer {
    /// Starts on a free port of 127.0.0.1 with a certificate from `ca`.
    pub fn start(ca: &TestCa) -> KeyServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut s = KeyServer { shared: Arc::default(), tls: ca.server_config(), addr, acceptor: None };
        s.serve(listener);
        s
    }

    fn serve(&mut self, listener: TcpListener) {
        self.shared.running.store(true, Ordering::SeqCst);
        let (shared, tls) = (self.shared.clone(), self.tls.clone());
        self.acceptor = Some(std::thread::spawn(move || {
            for stream in listener.incoming() {
                if !shared.running.load(Ordering::SeqCst) {
                    return; // the listener drops here: new connections are refused
                }
                let Ok(stream) = stream else { continue };
                let (shared, tls) = (shared.clone(), tls.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &shared, tls);
                });
            }
        }));
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.addr.port())
    }

    pub fn set(&self, path: &str, route: Route) {
        self.shared.routes.lock().unwrap().insert(path.to_string(), route);
    }

    /// Publishes `body` at `path` (200, with ETag).
    pub fn publish(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.set(path, Route::ok(body));
    }

    pub fn fault(&self, f: Fault) {
        *self.shared.fault.lock().unwrap() = match f {
            Fault::None => None,
            f => Some(f),
        };
    }

    /// Requests received for `path` (all answers, faults included).
    pub fn hits(&self, path: &str) -> u64 {
        self.shared.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> u64 {
        self.shared.hits.lock().unwrap().values().sum()
    }

    /// 304 answers sent.
    pub fn not_modified(&self) -> u64 {
        self.shared.not_modified.load(Ordering::SeqCst)
    }

    /// Stops listening: new connections are refused until `restart`.
    pub fn stop(&mut self) {
        if !self.shared.running.swap(false, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop so it sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.acceptor.take() {
            let _ = t.join();
        }
    }

    /// Listens again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(self.addr) {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("cannot listen on {} again: {e}", self.addr),
            }
        };
        self.serve(listener);
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn etag_of(body: &[u8]) -> String {
    // FNV-1a: a stable tag for the test, not a security feature.
    let h = body.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3));
    format!("\"{h:016x}\"")
}

fn handle(tcp: TcpStream, shared: &Shared, tls: Arc<rustls::ServerConfig>) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    let conn = rustls::ServerConnection::new(tls).map_err(std::io::Error::other)?;
    let mut s = rustls::StreamOwned::new(conn, tcp);
    let mut req = Vec::new();
    let mut buf = [0u8; 2048];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf)?;
        if n == 0 || req.len() > 16 * 1024 {
            return Ok(());
        }
        req.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&req).to_string();
    let mut lines = text.split("\r\n");
    let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or("/").to_string();
    let if_none_match = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("if-none-match"))
        .map(|(_, v)| v.trim().to_string());
    *shared.hits.lock().unwrap().entry(path.clone()).or_default() += 1;

    let fault = shared.fault.lock().unwrap().clone();
    let route = shared.routes.lock().unwrap().get(&path).cloned();
    let mut headers: Vec<(String, String)> = vec![];
    let mut announce = true;
    let (status, body) = match (fault, route) {
        (Some(Fault::Slow(d)), route) => {
            std::thread::sleep(d);
            match route {
                Some(r) => (r.status, r.body),
                None => (404, b"not found".to_vec()),
            }
        }
        (Some(Fault::Status(code)), _) => (code, b"failing on purpose".to_vec()),
        (Some(Fault::Garbage), _) => (200, b"<html>this is not json {{{".to_vec()),
        (Some(Fault::NotAKeySet), _) => (200, br#"{"status":"ok","items":[1,2,3]}"#.to_vec()),
        (Some(Fault::Oversized), _) => (200, oversized()),
        (Some(Fault::OversizedUnannounced), _) => {
            announce = false;
            (200, oversized())
        }
        (Some(Fault::None) | None, None) => (404, b"not found".to_vec()),
        (Some(Fault::None) | None, Some(r)) => {
            headers = r.headers.clone();
            if r.etag {
                let tag = etag_of(&r.body);
                if if_none_match.as_deref() == Some(tag.as_str()) {
                    shared.not_modified.fetch_add(1, Ordering::SeqCst);
                    headers.push(("ETag".into(), tag));
                    (304, vec![])
                } else {
                    headers.push(("ETag".into(), tag));
                    (r.status, r.body)
                }
            } else {
                (r.status, r.body)
            }
        }
    };
    let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Type: application/json\r\n");
    if announce {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(&body)?;
    s.conn.send_close_notify();
    s.flush()?;
    let _ = s.sock.shutdown(Shutdown::Write);
    Ok(())
}

fn oversized() -> Vec<u8> {
    let mut body = br#"{"keys":[],"padding":""#.to_vec();
    body.extend(std::iter::repeat_n(b'x', 300 * 1024));
    body.extend_from_slice(br#""}"#);
    body
}

/// A fresh, empty directory under the system temp dir for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "jwtgate-{name}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A test's world: one CA, one server it trusts, and the truststore file.
pub struct World {
    pub ca: TestCa,
    pub server: KeyServer,
    pub dir: PathBuf,
    pub truststore: PathBuf,
}

impl World {
    pub fn new(name: &str) -> World {
        let ca = TestCa::new(name);
        let server = KeyServer::start(&ca);
        let dir = temp_dir(name);
        let truststore = ca.write_pem(&dir);
        World { ca, server, dir, truststore }
    }

    /// Properties for a default profile using `loader` on `uris` (comma
    /// list), trusting this world's CA, plus `extra` lines.
    pub fn props(&self, loader: &str, uris: &str, extra: &str) -> String {
        format!(
            "yfs.yfs.jwt.verify.keyloader={loader}\n\
             yfs.yfs.jwt.verify.keyloader.httpsuri={uris}\n\
             yfs.yfs.jwt.verify.keyloader.truststore={}\n\
             yfs.yfs.jwt.verify.keyloader.timeout=2\n{extra}\n",
            self.truststore.display()
        )
    }
}

/// Polls `f` until it holds, failing the test after 10 s (background work
/// such as a refresh has no other completion signal a test can wait on).
pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
