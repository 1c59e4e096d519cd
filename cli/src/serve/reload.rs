//! Reload on SIGHUP and when the properties file changes. `Gate::reload`
//! builds the new state off to the side and swaps it in, so requests in
//! flight finish on the old configuration and none is dropped; a file that
//! does not load leaves the current configuration serving.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::signal::unix::Signal;

use super::handler::App;

/// What "changed" means for the poll: modification time and size.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

pub async fn watch(app: Arc<App>, path: PathBuf, mut hup: Signal, poll: Option<Duration>) {
    let mut last = stamp(&path);
    let mut tick = tokio::time::interval(poll.unwrap_or(Duration::from_secs(3600)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = hup.recv() => {
                last = stamp(&path);
                reload(&app, "SIGHUP").await;
            }
            _ = tick.tick(), if poll.is_some() => {
                let now = stamp(&path);
                // A vanished file is not a change to act on: the next write
                // (editors often delete then recreate) will be.
                if now.is_some() && now != last {
                    last = now;
                    reload(&app, "the file changed").await;
                }
            }
        }
    }
}

async fn reload(app: &Arc<App>, why: &str) {
    let a = app.clone();
    // Reading the file and building key sources may touch disk or network.
    let result = tokio::task::spawn_blocking(move || a.gate.reload()).await;
    match result {
        Ok(Ok(())) => {
            app.metrics.reloaded(true);
            let warnings = app.gate.warnings();
            eprintln!("jwtgate serve: configuration reloaded ({why}), {} warning(s)", warnings.len());
            for w in warnings {
                eprintln!("jwtgate serve: warning: {w}");
            }
        }
        Ok(Err(e)) => {
            app.metrics.reloaded(false);
            eprintln!("jwtgate serve: reload ({why}) failed, the previous configuration stays in use: {e}");
        }
        Err(join) => {
            app.metrics.reloaded(false);
            eprintln!("jwtgate serve: reload ({why}) failed, the previous configuration stays in use: internal: {join}");
        }
    }
}
