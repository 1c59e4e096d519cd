//! `jwtgate`: verify a token, lint a configuration, show trusted keys.
//!
//! Exit codes: 0 ok; 1 the token was refused; 2 the configuration is wrong.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jwtgate_core::{Config, Error, Gate};

mod serve;

#[derive(Parser)]
#[command(name = "jwtgate", version, about = "JWT verification configured from customer_overrides.properties")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a token (argument, or `-`/nothing for stdin) and print the identity as JSON.
    Verify {
        #[arg(long, short)]
        config: PathBuf,
        /// Resource URL, for Liberty's audience-prefix rule.
        #[arg(long)]
        url: Option<String>,
        token: Option<String>,
    },
    /// Lint a configuration: warnings with line numbers, then the effective profiles.
    Check {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Show what each profile trusts: kid, key type, algorithms, fingerprint (never a secret).
    Keys {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Forward-auth sidecar: answer `/auth/<endpoint>` checks over HTTP (docs/SERVE.md).
    Serve(serve::ServeArgs),
}

/// One stderr line starting with the reason; exit 2 for config, 1 for refusals.
fn fail(e: &Error) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(if e.reason().is_config() { 2 } else { 1 })
}

fn read_token(arg: Option<String>) -> Result<String, Error> {
    match arg.as_deref() {
        // A path to a file holding the token (e.g. examples/demo.jwt) also works.
        Some(t) if t != "-" && std::path::Path::new(t).is_file() => std::fs::read_to_string(t)
            .map(|s| s.trim().to_string())
            .map_err(|e| Error::new(jwtgate_core::Reason::InvalidArgument, format!("cannot read token file {t}: {e}"))),
        Some(t) if t != "-" => Ok(t.trim().to_string()),
        _ => {
            let mut s = String::new();
            std::io::stdin()
                .take(1 << 20)
                .read_to_string(&mut s)
                .map_err(|e| Error::new(jwtgate_core::Reason::InvalidArgument, format!("cannot read the token from stdin: {e}")))?;
            Ok(s.trim().to_string())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Serve(args) => serve::run(args)?,
        Command::Verify { config, url, token } => {
            let gate = Gate::from_file(&config)?;
            let token = read_token(token)?;
            let id = gate.verify_for_url(&token, url.as_deref())?;
            println!("{}", serde_json::to_string(&id).expect("identity serializes"));
        }
        Command::Check { config } => {
            let cfg = Config::from_file(&config)?;
            for w in &cfg.warnings {
                println!("warning: {}:{}: {}: {}", config.display(), w.line, w.key, w.message);
            }
            // Build a gate too, so bad key material is reported here.
            Gate::from_file(&config)?;
            for p in cfg.profiles() {
                let algs = p.algorithms.map_or("what the keys allow".to_string(), |a| a.to_string());
                println!(
                    "profile {}: loader {}, algorithms {algs}, user path `{}`, clock skew {}s, required claims [{}]",
                    p.name,
                    p.keys.loader.name(),
                    p.claims.user,
                    p.clock_skew,
                    p.required_claims.join(",")
                );
            }
            for (name, ep) in &cfg.endpoints {
                println!(
                    "endpoint {name}: jwt auth {}{}",
                    if ep.enabled { "enabled" } else { "disabled" },
                    ep.issuers.as_ref().map(|i| format!(", issuers {}", i.join(","))).unwrap_or_default()
                );
            }
            println!("{} warning(s)", cfg.warnings.len());
        }
        Command::Keys { config } => {
            let gate = Gate::from_file(&config)?;
            for p in gate.stats().profiles {
                let s = &p.source;
                println!("profile {} ({} from {})", p.profile, s.loader, s.origin);
                if s.fetches > 0 || s.failures > 0 {
                    println!(
                        "  fetches {}, failures {}, last success {}, stale {} ({} stale serves){}",
                        s.fetches,
                        s.failures,
                        s.last_success.map_or("never".to_string(), |t| t.to_string()),
                        s.stale,
                        s.stale_serves,
                        s.last_error.as_ref().map(|e| format!(", last error: {e}")).unwrap_or_default()
                    );
                }
                for k in &s.keys {
                    println!(
                        "  kid {:<24} {:<12} {:<28} {}",
                        k.kid.as_deref().unwrap_or("(none)"),
                        k.kind,
                        k.algorithms.join(","),
                        k.fingerprint
                    );
                }
            }
        }
    }
    Ok(())
}
