//! huntbook: threat-hunting notebooks backed by Rust.
//!
//! This facade is what a notebook imports: `use huntbook::prelude::*;` brings polars, the
//! ATT&CK loader and its types, the Security-Datasets loader, the frame operations, the SQL
//! engine and the chart builders into scope. It has no code of its own; each concern lives
//! in one crate, re-exported here under a short name.
//!
//! ```no_run
//! use huntbook::prelude::*;
//!
//! let attack = AttackLoader::from_env()?.load()?; // HUNTBOOK_* variables decide where from
//! let techniques = attack.techniques_frame()?;
//! println!("{}", techniques.head(Some(5)));
//! # Ok::<(), huntbook::attack::Error>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

/// The README's Rust examples, compiled by `cargo test --doc` so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

pub use huntbook_attack as attack;
pub use huntbook_charts as charts;
pub use huntbook_datasets as datasets;
pub use huntbook_display as display;
pub use huntbook_fetch as fetch;
pub use huntbook_frames as frames;
pub use huntbook_navigator as navigator;
pub use huntbook_sigma as sigma;
#[cfg(feature = "spark")]
pub use huntbook_spark as spark;
pub use huntbook_sql as sql;
pub use polars;

/// What notebook cells use, in one import, under names that say what they are: ATT&CK's
/// objects and loader, Navigator layers, Security-Datasets and their event files, the frame
/// operations, SQL, charts and display, and polars' prelude. Everything else is one module away
/// (`huntbook::attack::model::Common`, `huntbook::datasets::events::read_csv`, ...).
pub mod prelude {
    pub use huntbook_attack::model::{
        Analytic, Asset, Campaign, DataComponent, DataSource, DetectionStrategy, Group, Matrix,
        Mitigation, Relationship, Software, SoftwareKind, Tactic, Technique,
    };
    pub use huntbook_attack::{
        Attack, AttackLoader, Bundle, DataSourceLink, Domain, ObjectStatus, Release, StixObject,
    };
    pub use huntbook_charts::{
        counts_of_counts, BarChart, BarOrder, BoxPlot, BoxStats, Chart, StackedBarChart,
    };
    pub use huntbook_datasets::events::read_event_file;
    pub use huntbook_datasets::windows::{process_access_rights, with_access_rights};
    pub use huntbook_datasets::{read_evtx, Catalogue, Dataset, Datasets, Downloaded};
    pub use huntbook_display::{DisplayOptions, FrameDisplay};
    pub use huntbook_fetch::{FetchConfig, Fetcher, Location};
    pub use huntbook_frames::ops::{
        char_len, contains_any, count_by, count_by_desc, drop_null_columns, explode, icontains,
        size_by, sort_desc, subset_counts,
    };
    pub use huntbook_navigator::{Layer, LayerBuilder};
    pub use huntbook_sigma::{Hunt, Rule, RuleSet};
    pub use huntbook_sql::{Sql, SqlError};
    pub use polars::prelude::*;
}
