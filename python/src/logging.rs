//! jwtgate's `log` records → Python's `logging` (logger "jwtgate").
//!
//! The core logs rarely (configuration warnings, key file changes, key
//! source failures), so each record simply attaches to Python and asks the
//! logger; nothing is cached, and a level set by the application at any
//! time is honoured. Records at debug and trace never leave Rust.

use pyo3::prelude::*;

struct PyLogger;

static LOGGER: PyLogger = PyLogger;

/// Python's numeric levels for the `log` crate's.
fn py_level(level: log::Level) -> u32 {
    match level {
        log::Level::Error => 40,
        log::Level::Warn => 30,
        log::Level::Info => 20,
        log::Level::Debug => 10,
        log::Level::Trace => 5,
    }
}

impl log::Log for PyLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = py_level(record.level());
        let text = record.args().to_string();
        // try_attach: a background key refresher may log while the
        // interpreter shuts down; the record is dropped then. A failing
        // Python handler must not unwind into the verifier either.
        let _ = Python::try_attach(|py| -> PyResult<()> {
            let logger = py.import("logging")?.call_method1("getLogger", ("jwtgate",))?;
            if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                logger.call_method1("log", (level, "%s", text))?;
            }
            Ok(())
        });
    }

    fn flush(&self) {}
}

/// Installs the forwarder once per process. Another `log` logger already
/// set (by an embedding Rust program) wins; jwtgate then logs there.
pub fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
}
