//! ATT&CK Navigator layers for hunters: the format Navigator 5 opens (layer format 4.5),
//! built from any frame of technique ids or from ATT&CK queries, read back into frames,
//! combined, and checked against a release.
//!
//! - **Files** ([`Layer`]): read and written unchanged, fields this crate does not model
//!   included; formats 3.0 and 4.0 to 4.5 are read, another is an error naming it.
//! - **From frames** ([`LayerBuilder`]): technique ids, tactic, score, colour, comment,
//!   link and metadata columns, a gradient and a legend; [`Layer::to_frame`] goes back.
//! - **From queries**: [`group_layer`] (campaigns optional), [`software_layer`],
//!   [`changes_layer`] (what changed between two releases),
//!   [`data_components_layer`].
//! - **Combining** ([`combine`], [`Layer::union`], [`Layer::intersection`],
//!   [`Layer::difference`]): as mitreattack-python's `LayerOps`, with any score function.
//! - **The matrix as a heatmap** ([`Layer::heatmap`]): the release's tactics in its own
//!   order, cells coloured through the layer's gradient, sub-techniques folded or shown,
//!   exact scores as tooltips; inline SVG, or saved as SVG or PNG.
//! - **Checking** ([`Layer::check`]): unknown ids, techniques of another domain, wrong
//!   tactics, revoked or deprecated techniques, each a [`LayerWarning`] naming the technique;
//!   nothing is dropped.
//!
//! ```
//! use huntbook_navigator::{Layer, LayerBuilder};
//! use polars::prelude::*;
//!
//! let seen = df!("technique_id" => ["T1003.001", "T1059.001"], "events" => [12i64, 3])?;
//! let layer = LayerBuilder::new("Seen in the lab", "enterprise-attack")
//!     .attack_version("18.1")
//!     .score_column("events")
//!     .gradient(&["#ffffff", "#ff6666"])
//!     .build(&seen)?;
//! let back = Layer::from_slice(layer.to_json().as_bytes(), "seen.json")?;
//! assert_eq!(back, layer);
//! assert_eq!(back.to_frame()?.column("score")?.f64()?.get(0), Some(12.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod attack;
mod error;
mod frame;
mod heatmap;
mod layer;
mod ops;

pub use attack::{
    changes_layer, data_components_layer, group_layer, software_layer, LayerWarning, Problem,
    CHANGE_COLORS,
};
pub use error::{Error, Result};
pub use frame::LayerBuilder;
pub use heatmap::Subtechniques;
pub use layer::{
    Gradient, Layer, LegendItem, Link, MetadataEntry, TechniqueEntry, Versions, LAYER_FORMAT,
    NAVIGATOR_VERSION, READABLE_FORMATS,
};
pub use ops::{combine, Keep};
