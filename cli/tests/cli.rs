//! The CLI contract (DESIGN §5): exit 0 + identity JSON; a refusal exits 1
//! with one stderr line starting with the reason; a config error exits 2.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn jwtgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwtgate")).args(args).current_dir(root()).output().unwrap()
}

const CONFIG: &str = "examples/customer_overrides.properties";

#[test]
fn verify_prints_the_demo_identity() {
    let out = jwtgate(&["verify", "--config", CONFIG, "examples/demo.jwt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let id: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(id["user"], "testuser");
    assert_eq!(id["email"], "test@foo.com");
    assert_eq!(id["kid"], "demo-rsa-1");
    assert_eq!(id["profile"], "default");
}

#[test]
fn a_refused_token_exits_1_with_the_reason_first() {
    let token = std::fs::read_to_string(root().join("examples/demo.jwt")).unwrap();
    let (head, sig) = token.trim().rsplit_once('.').unwrap();
    let tampered = format!("{head}.{}A", &sig[..sig.len() - 1]);
    let tampered = if tampered == token.trim() { format!("{head}.{}B", &sig[..sig.len() - 1]) } else { tampered };
    let out = jwtgate(&["verify", "--config", CONFIG, &tampered]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("signature_invalid: ") || err.starts_with("token_malformed: "), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_config_error_exits_2() {
    let out = jwtgate(&["verify", "--config", "does/not/exist.properties", "x.y.z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("config_io: "));
}

#[test]
fn check_names_the_line_of_a_typo_and_suggests_the_key() {
    let dir = std::env::temp_dir().join(format!("jwtgate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let lines = text.lines().count();
    // The example's `file` loader path is relative to the properties file.
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::copy(root().join("examples/keys/demo-ec.pub.pem"), dir.join("keys/demo-ec.pub.pem")).unwrap();
    let path = dir.join("typo.properties");
    std::fs::write(&path, format!("{text}yfs.yfs.jwt.verfy.keyloader=properties\n")).unwrap();
    let out = jwtgate(&["check", "--config", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!(":{}: yfs.yfs.jwt.verfy.keyloader: unknown key; did you mean `yfs.yfs.jwt.verify.keyloader`?", lines + 1)), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn keys_lists_fingerprints_and_never_secrets() {
    let out = jwtgate(&["keys", "--config", CONFIG]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("demo-rsa-1") && stdout.contains("sha256:"), "{stdout}");
}
