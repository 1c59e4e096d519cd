//! Mints a token with a demo/test key (for examples and fixtures only):
//! `cargo run -p jwtgate-core --features testkit --example mint -- RS256 key.pem '{"kid":"k"}' '{"sub":"a"}'`
//! The header's `alg` is filled in from the first argument.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [alg, key, header, payload] = &args[..] else {
        eprintln!("usage: mint ALG KEYFILE HEADER_JSON PAYLOAD_JSON");
        std::process::exit(2);
    };
    let alg = jwtgate_core::Alg::from_name(alg).expect("a supported algorithm");
    let mut h: serde_json::Map<String, serde_json::Value> = serde_json::from_str(header).expect("header JSON");
    h.insert("alg".into(), alg.name().into());
    let key = std::fs::read(key).expect("readable key file");
    let header = serde_json::to_string(&h).expect("header");
    println!("{}", jwtgate_core::testkit::sign(alg, &header, payload, &key));
}
