//! `jwtgate._jwtgate`: the native half of the Python package `jwtgate`.
//! The public names are re-exported (with the exceptions of
//! `jwtgate/_errors.py`) by `jwtgate/__init__.py`; stubs live in
//! `jwtgate/_jwtgate.pyi`.

mod boundary;
mod errors;
mod gate;
mod identity;
mod json;
mod keyloader;
mod logging;

use pyo3::prelude::*;

/// The whole exported surface, in one list.
// gil_used = false: Gate and Identity are immutable and Sync, and the key
// loader registry is behind the core's own lock.
#[pymodule(gil_used = false)]
mod _jwtgate {
    use pyo3::types::PyDict;

    use super::*;

    #[pymodule_export]
    use crate::gate::Gate;
    #[pymodule_export]
    use crate::identity::Identity;
    #[pymodule_export]
    use crate::keyloader::{register_keyloader, unregister_keyloader};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        crate::logging::install();
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        // Built from the core's table so no binding retypes it.
        let reasons = PyDict::new(m.py());
        for r in jwtgate_core::Reason::ALL {
            reasons.set_item(r.as_str(), r.code())?;
        }
        m.add("REASONS", reasons)?;
        Ok(())
    }
}
