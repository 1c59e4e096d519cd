//! `jwtgate serve`: a forward-auth sidecar for gateways that cannot load a
//! module (nginx `auth_request`, Envoy `ext_authz` HTTP, Traefik
//! `ForwardAuth`). See docs/SERVE.md.
//!
//! - `forwarded`: the original request's URL from `X-Forwarded-*` headers
//! - `handler`: routes and verdicts
//! - `metrics`: Prometheus text at `/metrics`
//! - `reload`: SIGHUP and file-change reloads

mod forwarded;
mod handler;
mod metrics;
mod reload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper::header::HeaderName;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use jwtgate_core::{Error, Gate, Reason};
use tokio::signal::unix::{SignalKind, signal};

use handler::{App, HeaderNames};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The properties file; re-read on SIGHUP and when it changes.
    #[arg(long, short)]
    config: PathBuf,
    /// Address to listen on. The sidecar trusts `X-Forwarded-*` headers, so
    /// only the gateway should reach it. Port 0 picks a free port (printed).
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: SocketAddr,
    /// Response header carrying the user.
    #[arg(long, default_value = "X-Auth-User", value_parser = header_name)]
    user_header: HeaderName,
    /// Response header carrying the email (absent when the token has none).
    #[arg(long, default_value = "X-Auth-Email", value_parser = header_name)]
    email_header: HeaderName,
    /// Response header carrying the groups, comma-separated.
    #[arg(long, default_value = "X-Auth-Groups", value_parser = header_name)]
    groups_header: HeaderName,
    /// Response header carrying the token's issuer.
    #[arg(long, default_value = "X-Auth-Issuer", value_parser = header_name)]
    issuer_header: HeaderName,
    /// Response header carrying the refusal reason (`token_expired`, ...).
    #[arg(long, default_value = "X-Auth-Reason", value_parser = header_name)]
    reason_header: HeaderName,
    /// How often to check the properties file for changes, in milliseconds; 0 turns it off.
    #[arg(long, default_value_t = 2000)]
    poll_ms: u64,
    /// Worker threads (default: one per CPU).
    #[arg(long)]
    threads: Option<usize>,
    /// Log every refusal with its detail to stderr.
    #[arg(long)]
    verbose: bool,
}

fn header_name(s: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(s.as_bytes()).map_err(|e| format!("`{s}` is not a header name: {e}"))
}

/// How long in-flight requests get to finish after SIGTERM / Ctrl-C.
const DRAIN: Duration = Duration::from_secs(5);
/// A connection that has not sent its headers by then is closed (slowloris).
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(args: ServeArgs) -> Result<(), Error> {
    let gate = Gate::from_file(&args.config)?;
    for w in gate.warnings() {
        eprintln!("jwtgate serve: warning: {w}");
    }
    let app = Arc::new(App {
        gate,
        metrics: metrics::Metrics::default(),
        names: HeaderNames {
            user: args.user_header.clone(),
            email: args.email_header.clone(),
            groups: args.groups_header.clone(),
            issuer: args.issuer_header.clone(),
            reason: args.reason_header.clone(),
        },
        verbose: args.verbose,
    });
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = args.threads {
        rt.worker_threads(n.max(1));
    }
    let rt = rt
        .enable_all()
        .build()
        .map_err(|e| Error::new(Reason::Internal, format!("cannot start the async runtime: {e}")))?;
    rt.block_on(serve(app, args))
}

async fn serve(app: Arc<App>, args: ServeArgs) -> Result<(), Error> {
    let io_err = |what: &str, e: std::io::Error| Error::new(Reason::ConfigInvalid, format!("{what}: {e}"));
    // Signal handlers go in before the address is announced, so a SIGHUP
    // sent right after never meets the default action (terminate).
    let hup = signal(SignalKind::hangup()).map_err(|e| io_err("cannot handle SIGHUP", e))?;
    let mut term = signal(SignalKind::terminate()).map_err(|e| io_err("cannot handle SIGTERM", e))?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| io_err("cannot handle SIGINT", e))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| io_err(&format!("cannot listen on {} (--listen)", args.listen), e))?;
    let local = listener.local_addr().map_err(|e| io_err("cannot read the listening address", e))?;
    // Tests and scripts read this line to learn the port when --listen used port 0.
    println!("jwtgate serve: listening on http://{local}");

    let poll = (args.poll_ms > 0).then(|| Duration::from_millis(args.poll_ms));
    let watcher = tokio::spawn(reload::watch(app.clone(), args.config.clone(), hup, poll));

    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((s, _)) => s,
                    Err(e) => {
                        // Out of file descriptors and the like: back off rather than spin.
                        eprintln!("jwtgate serve: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let service = service_fn(move |req| {
                    let app = app.clone();
                    async move { handler::handle(&app, req).await }
                });
                let conn = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    // Client resets and timeouts are routine for a sidecar; not worth a log line each.
                    let _ = conn.await;
                });
            }
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
    }
    drop(listener);
    watcher.abort();
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(DRAIN) => eprintln!("jwtgate serve: {DRAIN:?} passed with requests in flight; closing them"),
    }
    eprintln!("jwtgate serve: stopped");
    Ok(())
}
