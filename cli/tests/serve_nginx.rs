//! A real nginx (Debian's package) in front of a test upstream, asking
//! `jwtgate serve` with `auth_request`, configured by examples/nginx/nginx.conf
//! itself (issue 9's "done when"). Skipped, with a message, when nginx is not
//! installed; tests/run_all.sh installs it when apt can.

mod serve_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serve_support::*;

fn find_nginx() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("nginx")).collect::<Vec<_>>())
        .unwrap_or_default();
    // Debian puts it in /usr/sbin, which a non-root PATH often lacks.
    on_path.into_iter().chain([PathBuf::from("/usr/sbin/nginx")]).find(|p| p.is_file())
}

/// The application behind nginx: answers 200 with the identity headers it
/// received, and counts the requests that reached it.
fn upstream(hits: Arc<AtomicU64>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => raw.extend_from_slice(&buf[..n]),
                }
            }
            hits.fetch_add(1, Ordering::Relaxed);
            let head = String::from_utf8_lossy(&raw);
            let get = |name: &str| {
                head.lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                    .map_or(String::new(), |(_, v)| v.trim().to_string())
            };
            let body = format!("user={} email={} groups={}", get("x-auth-user"), get("x-auth-email"), get("x-auth-groups"));
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    port
}

struct Nginx {
    child: Child,
    stderr: PathBuf,
}

impl Nginx {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // Graceful quit first, so nothing is left behind; then the hard way.
        let _ = Command::new("kill").args(["-QUIT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    closed_port()
}

fn start_nginx(nginx: &PathBuf, dir: &TempDir, sidecar: u16, app: u16) -> (Nginx, u16) {
    let port = free_port();
    let example = std::fs::read_to_string(root().join("examples/nginx/nginx.conf")).unwrap();
    let mut conf = example.clone();
    for (from, to) in [("127.0.0.1:9000", sidecar), ("127.0.0.1:8081", app), ("127.0.0.1:8080", port)] {
        assert!(conf.contains(from), "examples/nginx/nginx.conf no longer mentions {from}; update this test with it");
        conf = conf.replace(from, &format!("127.0.0.1:{to}"));
    }
    std::fs::create_dir_all(dir.0.join("tmp")).unwrap();
    std::fs::create_dir_all(dir.0.join("logs")).unwrap();
    let conf_path = dir.0.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let stderr = dir.0.join("nginx.stderr");
    let child = Command::new(nginx)
        .arg("-p")
        .arg(&dir.0)
        .arg("-c")
        .arg(&conf_path)
        // In the foreground, one process, as the current user: the test owns it.
        .args(["-g", "daemon off; master_process off;"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let mut n = Nginx { child, stderr };
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = n.child.try_wait() {
            panic!("nginx exited ({status}) before listening:\n{}", n.log());
        }
        assert!(Instant::now() < deadline, "nginx did not listen on {port}:\n{}", n.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    (n, port)
}

#[test]
fn nginx_auth_request_lets_a_good_token_through_and_refuses_a_bad_one() {
    let Some(nginx) = find_nginx() else {
        eprintln!("SKIPPED nginx_auth_request test: nginx is not installed (apt-get install nginx-light; tests/run_all.sh tries)");
        return;
    };
    let v = Command::new(&nginx).arg("-V").output().unwrap();
    if !String::from_utf8_lossy(&v.stderr).contains("http_auth_request_module") {
        eprintln!("SKIPPED nginx_auth_request test: {} lacks ngx_http_auth_request_module", nginx.display());
        return;
    }
    let dir = TempDir::new("serve-nginx");
    let sidecar = Server::start(&root().join("examples/customer_overrides.properties"), &[]);
    let hits = Arc::new(AtomicU64::new(0));
    let app = upstream(hits.clone());
    let (nginx, port) = start_nginx(&nginx, &dir, sidecar.port, app);

    let demo = std::fs::read_to_string(root().join("examples/demo.jwt")).unwrap().trim().to_string();
    let good = format!("Bearer {demo}");
    let ctx = || nginx.log();

    // A good token reaches the application with the identity headers, and a
    // client's own X-Auth-User is replaced.
    let r = http(port, "GET", "/orders?id=7", &[("Authorization", &good), ("X-Auth-User", "root")], b"");
    assert_eq!(r.status, 200, "{r:?}\n{}", ctx());
    assert_eq!(r.body, "user=testuser email=test@foo.com groups=admins,csr");
    // The cookie z/OSMF uses works through nginx too.
    let r = http(port, "GET", "/", &[("Cookie", &format!("jwtToken={demo}"))], b"");
    assert_eq!((r.status, r.body.as_str()), (200, "user=testuser email=test@foo.com groups=admins,csr"), "{}", ctx());
    // A token without email or groups: the client's forged headers of those
    // names do not get through either.
    let bob = jwtgate_core::testkit::sign(
        jwtgate_core::Alg::RS256,
        r#"{"alg":"RS256","kid":"demo-rsa-1"}"#,
        r#"{"userid":"bob","exp":4102444800}"#,
        &std::fs::read(root().join("examples/keys/demo-rsa.key.pem")).unwrap(),
    );
    let forged = [("Authorization", format!("Bearer {bob}")), ("X-Auth-Email", "boss@corp".into()), ("X-Auth-Groups", "admins".into())];
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = http(port, "GET", "/", &forged, b"");
    assert_eq!((r.status, r.body.as_str()), (200, "user=bob email= groups="), "{}", ctx());
    let allowed = hits.load(Ordering::Relaxed);
    assert_eq!(allowed, 3);

    // A tampered signature (a middle character, so the encoding stays canonical).
    let (head, sig) = demo.rsplit_once('.').unwrap();
    let mut sig: Vec<char> = sig.chars().collect();
    let i = sig.len() / 2;
    sig[i] = if sig[i] == 'A' { 'B' } else { 'A' };
    let bad = format!("Bearer {head}.{}", sig.into_iter().collect::<String>());
    let r = http(port, "GET", "/orders", &[("Authorization", &bad), ("X-Auth-User", "root")], b"");
    assert_eq!(r.status, 401, "{r:?}\n{}", ctx());
    assert_eq!(r.header("x-auth-reason"), Some("signature_invalid"), "{r:?}");
    let www = r.header("www-authenticate").unwrap_or_else(|| panic!("nginx passed no WWW-Authenticate: {r:?}"));
    assert!(www.contains("error=\"invalid_token\""), "{www}");
    // No token at all.
    let r = http(port, "GET", "/", &[], b"");
    assert_eq!((r.status, r.header("x-auth-reason")), (401, Some("token_missing")), "{r:?}");
    assert_eq!(hits.load(Ordering::Relaxed), allowed, "a refused request reached the application");
}
