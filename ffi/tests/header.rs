//! include/jwtgate.h is generated from ffi/src by cbindgen and committed.
//! This test regenerates it in memory and fails when the committed file is
//! stale (rustls-ffi's ensure-header-updated job, run inside cargo test).
//! `JWTGATE_BLESS=1 cargo test -p jwtgate-ffi --test header` rewrites it.

use std::path::Path;

fn generate() -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("ffi/cbindgen.toml parses");
    // The version macros come from Cargo.toml so they cannot drift.
    config.after_includes = Some(format!(
        "\n#define JWTGATE_VERSION \"{}\"\n#define JWTGATE_VERSION_MAJOR {}\n#define JWTGATE_VERSION_MINOR {}\n#define JWTGATE_VERSION_PATCH {}",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    ));
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_crate(crate_dir)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_header_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/jwtgate.h");
    let fresh = generate();
    if std::env::var_os("JWTGATE_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write include/jwtgate.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let line = committed.lines().zip(fresh.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
        panic!(
            "include/jwtgate.h is stale (first difference near line {line}); \
             run `JWTGATE_BLESS=1 cargo test -p jwtgate-ffi --test header` and commit the result"
        );
    }
}
