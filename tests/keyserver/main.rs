//! The loopback HTTPS key server as a program, for the Python, Java and C
//! fault tests and for trying `jwtgate keys` by hand:
//!
//! ```text
//! cargo run -q -p jwtgate-core --example keyserver [-- DIR]
//! ```
//!
//! It prints one JSON line, `{"port":N,"url":"https://127.0.0.1:N","truststore":"DIR/ca.pem"}`,
//! then reads commands on stdin, one per line, and answers each with one line
//! starting `ok` or `error`:
//!
//! | command | effect |
//! |---|---|
//! | `publish PATH FIXTURE:KID[,FIXTURE:KID...]` | a JWK Set of fixture public keys (`rsa2048:k1,ec256:e1`) |
//! | `publish-file PATH FILE` | the bytes of FILE |
//! | `header PATH NAME VALUE` | add a response header (e.g. `Cache-Control max-age=60`) |
//! | `fault none\|500\|404\|garbage\|notakeyset\|oversized\|slow MS` | misbehave on every path |
//! | `stop` / `restart` | stop listening / listen again on the same port |
//! | `hits PATH` | answers `ok N`: requests seen for PATH |
//! | `quit` | exit (so does end of input) |

#[path = "mod.rs"]
mod keyserver;

use std::io::BufRead;
use std::time::Duration;

use keyserver::{Fault, KeyServer, Route, TestCa, jwk};

fn main() {
    let dir = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| keyserver::temp_dir("keyserver"));
    let ca = TestCa::new("keyserver");
    let truststore = ca.write_pem(&dir);
    let mut server = KeyServer::start(&ca);
    println!(
        "{}",
        serde_json::json!({"port": server.port(), "url": server.url(""), "truststore": truststore.display().to_string()})
    );
    let mut routes: std::collections::HashMap<String, Route> = Default::default();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer = match words.as_slice() {
            [] => continue,
            ["quit"] => break,
            ["publish", path, keys] => {
                let pairs: Option<Vec<(&str, &str)>> = keys.split(',').map(|p| p.split_once(':')).collect();
                match pairs {
                    Some(pairs) => {
                        let route = Route::ok(jwk::jwks(&pairs));
                        routes.insert(path.to_string(), route.clone());
                        server.set(path, route);
                        Ok(String::new())
                    }
                    None => Err("keys are FIXTURE:KID[,FIXTURE:KID...]".to_string()),
                }
            }
            ["publish-file", path, file] => match std::fs::read(file) {
                Ok(body) => {
                    let route = Route::ok(body);
                    routes.insert(path.to_string(), route.clone());
                    server.set(path, route);
                    Ok(String::new())
                }
                Err(e) => Err(format!("{file}: {e}")),
            },
            ["header", path, name, value @ ..] => match routes.get_mut(*path) {
                Some(route) => {
                    *route = route.clone().header(name, &value.join(" "));
                    server.set(path, route.clone());
                    Ok(String::new())
                }
                None => Err(format!("nothing published at {path}")),
            },
            ["fault", kind @ ..] => match kind {
                ["none"] => Ok(Fault::None),
                ["garbage"] => Ok(Fault::Garbage),
                ["notakeyset"] => Ok(Fault::NotAKeySet),
                ["oversized"] => Ok(Fault::Oversized),
                ["slow", ms] => ms.parse().map(|ms| Fault::Slow(Duration::from_millis(ms))).map_err(|_| "slow MS".to_string()),
                [code] => code.parse().map(Fault::Status).map_err(|_| format!("unknown fault {code}")),
                _ => Err("fault none|500|404|garbage|notakeyset|oversized|slow MS".to_string()),
            }
            .map(|f| {
                server.fault(f);
                String::new()
            }),
            ["stop"] => {
                server.stop();
                Ok(String::new())
            }
            ["restart"] => {
                server.restart();
                Ok(String::new())
            }
            ["hits", path] => Ok(format!(" {}", server.hits(path))),
            _ => Err(format!("unknown command: {line}")),
        };
        match answer {
            Ok(extra) => println!("ok{extra}"),
            Err(why) => println!("error {why}"),
        }
    }
}
