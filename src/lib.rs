//! Tresor's core: the encrypted vault, its storage, the practice's records and the rules that
//! govern them. It knows nothing of the desktop shell or the command line; both call this API.
//! The feature `tools` adds the demo practice and the benchmark (with its plaintext twin) for the
//! CLI and the benches; the desktop app is built without it.

pub mod attachment;
#[cfg(feature = "tools")]
pub mod bench;
pub mod billing;
pub mod crypto;
#[cfg(feature = "tools")]
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod fsutil;
pub(crate) mod header;
pub mod hlc;
pub mod import;
pub mod paths;
pub mod process;
pub mod store;
pub mod sync;
pub mod vault;

pub use error::{Error, Problem, Result};
pub use vault::{CreateOptions, Unlock, Vault};
