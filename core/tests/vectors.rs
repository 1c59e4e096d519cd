//! The Rust runner of the shared conformance vectors (tests/vectors/*.json):
//! the same files run through the C, Python and Java bindings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jwtgate_core::{Gate, ManualClock, Request, SystemClock};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(gate: &Gate, case: &Value) -> Result<(), String> {
    let result = if let Some(token) = case.get("token").and_then(Value::as_str) {
        gate.verify(token)
    } else {
        let r = &case["request"];
        let headers: Vec<(String, String)> = r["headers"]
            .as_array()
            .map(|a| a.iter().map(|h| (h[0].as_str().unwrap().to_string(), h[1].as_str().unwrap().to_string())).collect())
            .unwrap_or_default();
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let req = Request { headers: &pairs, url: r["url"].as_str(), body: r["body"].as_str().map(str::as_bytes) };
        gate.authenticate(r["endpoint"].as_str().unwrap(), &req)
    };
    let want = case["expect"]["reason"].as_str().unwrap();
    match result {
        Err(e) if e.reason().as_str() == want => Ok(()),
        Err(e) => Err(format!("expected {want}, got {e}")),
        Ok(_) if want != "ok" => Err(format!("expected {want}, got ok")),
        Ok(id) => {
            let got = serde_json::to_value(&id).unwrap();
            if let Some(fields) = case["expect"]["identity"].as_object() {
                for (k, v) in fields {
                    if got.get(k) != Some(v) {
                        return Err(format!("identity.{k}: expected {v}, got {:?}", got.get(k)));
                    }
                }
            }
            Ok(())
        }
    }
}

#[test]
fn shared_vectors_give_the_expected_reason_or_identity() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in tests/vectors");
    let (mut passed, mut failures) = (0, Vec::new());
    for f in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let props = doc["properties"].as_str().unwrap();
        let gate = match doc["now"].as_u64() {
            Some(now) => Gate::from_properties_with_clock(props, Arc::new(ManualClock::new(now))),
            None => Gate::from_properties_with_clock(props, Arc::new(SystemClock)),
        }
        .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for case in doc["cases"].as_array().unwrap() {
            match run_case(&gate, case) {
                Ok(()) => passed += 1,
                Err(why) => failures.push(format!("{} {}: {why}", f.file_name().unwrap().to_string_lossy(), case["id"])),
            }
        }
    }
    println!("vectors: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
