//! huntbook: threat-hunting notebooks backed by Rust.
//!
//! This facade is what a notebook imports: `use huntbook::prelude::*;` brings polars, the
//! ATT&CK loader and its types, and the chart builders into scope.
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

pub mod ops;
pub mod sql;

pub use huntbook_attack as attack;
pub use huntbook_charts as charts;
pub use huntbook_datasets as datasets;
pub use huntbook_display as display;
pub use huntbook_fetch as fetch;
#[cfg(feature = "spark")]
pub use huntbook_spark as spark;
pub use polars;

/// Everything a notebook cell needs, in one import.
pub mod prelude {
    pub use crate::ops::{
        char_len, contains_any, count_by, count_by_desc, drop_null_columns, explode, icontains,
        size_by, sort_desc, subset_counts,
    };
    pub use crate::sql::{Sql, SqlError};
    pub use huntbook_attack::model::{
        Analytic, Asset, Campaign, Collection, Common, DataComponent, DataSource,
        DetectionStrategy, Group, Matrix, Mitigation, Relationship, Software, SoftwareKind, Tactic,
        Technique,
    };
    pub use huntbook_attack::{
        Attack, AttackLoader, Bundle, DataSourceLink, Domain, Method, Release, ReleaseIndex,
        Source, Status, StixObject,
    };
    pub use huntbook_charts::{
        counts_of_counts, BarChart, BoxPlot, BoxStats, Chart, Sort, StackedBarChart,
    };
    pub use huntbook_datasets::events::{read_csv, read_events, read_file, read_lines};
    pub use huntbook_datasets::windows::{process_access_rights, with_access_rights};
    pub use huntbook_datasets::{Catalogue, Dataset, Datasets, Downloaded};
    pub use huntbook_display::{info, DisplayOptions, FrameDisplay, Info};
    pub use huntbook_fetch::{FetchConfig, Fetcher, Location};
    pub use polars::prelude::*;
    pub use polars::sql::SQLContext;
}
