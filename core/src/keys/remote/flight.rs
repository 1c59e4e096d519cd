//! Single flight: one fetch at a time per source. A caller that finds a
//! fetch under way waits for its result (bounded) instead of starting
//! another, so a burst of cold or unknown-kid requests costs one request to
//! the key server.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

#[derive(Default)]
pub struct Flight {
    /// (a fetch is running, fetches finished so far)
    state: Mutex<(bool, u64)>,
    done: Condvar,
}

impl Flight {
    fn lock(&self) -> MutexGuard<'_, (bool, u64)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` unless a fetch is already running; then waits at most `wait`
    /// for that one to finish. Returns whether `f` ran on this thread.
    pub fn run_or_wait(&self, wait: Duration, f: impl FnOnce()) -> bool {
        let mut g = self.lock();
        if g.0 {
            self.wait_on(g, wait);
            return false;
        }
        g.0 = true;
        drop(g);
        // Cleared even if `f` panics, so a bug cannot wedge the source.
        struct Land<'a>(&'a Flight);
        impl Drop for Land<'_> {
            fn drop(&mut self) {
                let mut g = self.0.lock();
                g.0 = false;
                g.1 += 1;
                self.0.done.notify_all();
            }
        }
        let _land = Land(self);
        f();
        true
    }

    /// Waits (at most `wait`) for a running fetch, if any, to finish.
    pub fn wait_if_running(&self, wait: Duration) {
        let g = self.lock();
        if g.0 {
            self.wait_on(g, wait);
        }
    }

    fn wait_on(&self, g: MutexGuard<'_, (bool, u64)>, wait: Duration) {
        let started = g.1;
        let _ = self.done.wait_timeout_while(g, wait, |s| s.0 && s.1 == started).map_err(|e| e.into_inner());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn concurrent_callers_share_one_run() {
        let flight = Arc::new(Flight::default());
        let runs = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (flight, runs) = (flight.clone(), runs.clone());
                std::thread::spawn(move || {
                    flight.run_or_wait(Duration::from_secs(5), || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(300));
                    })
                })
            })
            .collect();
        let ran: usize = threads.into_iter().map(|t| t.join().unwrap() as usize).sum();
        // Threads that arrive after the first run finished start their own;
        // with a 300 ms run all eight arrive while it is going.
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(ran, 1);
    }

    #[test]
    fn a_panicking_run_releases_the_flight() {
        let flight = Flight::default();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| flight.run_or_wait(Duration::ZERO, || panic!("x"))));
        assert!(r.is_err());
        assert!(flight.run_or_wait(Duration::ZERO, || {}));
    }
}
