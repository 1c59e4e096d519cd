//! The properties reader and the configuration builder on arbitrary text:
//! no panic, every error a configuration reason.
#![no_main]

use jwtgate_core::{Config, Gate, Reason};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cfg = match Config::from_properties(&text, None) {
        Ok(cfg) => cfg,
        Err(e) => {
            assert!(e.reason().is_config(), "{e}");
            return;
        }
    };
    for w in &cfg.warnings {
        let _ = w.to_string();
    }
    // Building a gate also loads key material, but not from files or the
    // network: a fuzzed path could name /dev/zero, a URI would start a fetch.
    let touches_outside = cfg.profiles().any(|p| p.keys.path.is_some() || p.keys.loader.is_remote());
    if !touches_outside {
        if let Err(e) = Gate::from_properties(&text) {
            assert!(Reason::ALL.contains(&e.reason()));
        }
    }
});
