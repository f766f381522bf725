//! polars frames for huntbook, in one place: [`FrameBuilder`] builds the typed frames of
//! ATT&CK objects and Security-Datasets (lists as `list[str]`, times as `datetime[ms]`),
//! [`time`] reads the dates they carry, and [`ops`] holds the pandas idioms of the seed
//! notebooks as frame operations.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod builder;
pub mod ops;
pub mod time;

pub use builder::{FrameBuilder, FrameError};
