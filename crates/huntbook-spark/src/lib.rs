//! Spark Connect for huntbook: the notebooks' SQL on a Spark cluster, results as polars frames.
//!
//! A hunting team whose data outgrows one machine runs the same SQL on Apache Spark (self
//! hosted, on Kubernetes, or a managed service) or on Sail, through Spark Connect, with the
//! Apache Spark project's Rust client. Results come back as Arrow, read by polars from Arrow
//! IPC bytes, so they are charted with the same helpers as local results.
//!
//! - [`Spark`]: connect (`sc://host:port/;token=...;use_ssl=true`), read JSON lines event
//!   files into views, run SQL, send small frames for joins.
//! - [`server::LocalServer`]: a Sail or Spark server on this machine, for tests, benchmarks
//!   and trying the Spark path without a cluster.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod frames;
pub mod server;
mod session;

pub use error::{Error, Result};
pub use server::{LocalServer, SailMode};
pub use session::{Spark, REMOTE_VAR, TOKEN_VAR};
