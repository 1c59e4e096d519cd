//! jwtgate-core: verifies JWTs for existing servers, configured from the
//! `yfs.yfs.jwt.*` keys of a `customer_overrides.properties` file.
//!
//! ```no_run
//! let gate = jwtgate_core::Gate::from_file("customer_overrides.properties")?;
//! let id = gate.verify("eyJ...")?;
//! println!("{} ({:?})", id.user, id.email);
//! # Ok::<(), jwtgate_core::Error>(())
//! ```

pub mod alg;
mod claims;
pub mod clock;
pub mod config;
mod error;
mod gate;
mod identity;
pub mod json;
pub mod keys;
mod request;
pub mod token;
mod token_cache;
mod verify;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use alg::Alg;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use error::{Error, Reason, Result};
pub use gate::{Gate, ProfileStats, Stats};
pub use identity::Identity;
pub use keys::{KeyLoader, KeyRequest, register_keyloader, unregister_keyloader};
pub use request::Request;
