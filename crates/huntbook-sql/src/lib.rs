//! One SQL engine for the notebooks, and the one place huntbook runs SQL: polars' SQL
//! context on this machine, or a Spark cluster through Spark Connect when
//! `HUNTBOOK_SPARK_REMOTE` names one (with the `spark` feature). The same SQL text runs on
//! both, and both give polars frames, charted the same way.
//!
//! ```no_run
//! use huntbook_datasets::Datasets;
//! use huntbook_sql::Sql;
//!
//! let datasets = Datasets::from_env()?;
//! let mut sql = Sql::from_env()?; // polars, or Spark when HUNTBOOK_SPARK_REMOTE is set
//! sql.register_events("apt29", &datasets.download("https://raw.githubusercontent.com/OTRF/infosec-jupyter-book/master/datasets/apt29_evals_day1_manual_demo.zip")?)?;
//! let counts = sql.query("SELECT Channel, EventID, COUNT(*) AS Count FROM apt29 GROUP BY Channel, EventID ORDER BY Count DESC")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::path::Path;

use huntbook_datasets::Downloaded;
use polars::prelude::{DataFrame, IntoLazy, PolarsError};
use polars::sql::SQLContext;

/// What can go wrong registering views or running SQL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqlError {
    /// polars refused or failed the query.
    #[error("polars SQL: {action} failed: {source}")]
    Polars {
        /// The query or view.
        action: String,
        /// polars' error.
        source: PolarsError,
    },
    /// Reading the events failed.
    #[error(transparent)]
    Datasets(#[from] huntbook_datasets::Error),
    /// The Spark Connect server failed.
    #[cfg(feature = "spark")]
    #[error(transparent)]
    Spark(#[from] huntbook_spark::Error),
    /// `HUNTBOOK_SPARK_REMOTE` is set, but this build has no Spark client.
    #[error("HUNTBOOK_SPARK_REMOTE is set ({0}), but huntbook was built without its `spark` feature: load it with `:dep huntbook = {{ ..., features = [\"spark\"] }}`, or unset the variable to use polars")]
    NoSparkFeature(String),
}

/// The result type of [`Sql`].
pub type SqlResult<T> = std::result::Result<T, SqlError>;

enum Engine {
    Polars(SQLContext),
    #[cfg(feature = "spark")]
    Spark(huntbook_spark::Spark),
}

/// A SQL engine with named views: polars on this machine, or Spark through Spark Connect.
pub struct Sql {
    engine: Engine,
}

impl std::fmt::Debug for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sql")
            .field("engine", &self.engine_name())
            .finish()
    }
}

impl Sql {
    /// polars' SQL context, on this machine. Column names match case-sensitively.
    pub fn polars() -> Self {
        Sql {
            engine: Engine::Polars(SQLContext::new()),
        }
    }

    /// A Spark Connect session. Column names are made to match case-sensitively
    /// (`spark.sql.caseSensitive`), as the workshop's Spark session did and as polars does:
    /// Sysmon 10 and 8 spell `SourceProcessGUID` and `SourceProcessGuid`.
    #[cfg(feature = "spark")]
    pub fn spark(spark: huntbook_spark::Spark) -> SqlResult<Self> {
        spark.set_conf("spark.sql.caseSensitive", "true")?;
        Ok(Sql {
            engine: Engine::Spark(spark),
        })
    }

    /// Spark when `HUNTBOOK_SPARK_REMOTE` names a Spark Connect endpoint (with the token in
    /// `HUNTBOOK_SPARK_TOKEN`, if any), polars otherwise.
    pub fn from_env() -> SqlResult<Self> {
        #[cfg(feature = "spark")]
        {
            match huntbook_spark::Spark::from_env()? {
                Some(spark) => Self::spark(spark),
                None => Ok(Self::polars()),
            }
        }
        #[cfg(not(feature = "spark"))]
        {
            match std::env::var("HUNTBOOK_SPARK_REMOTE") {
                Ok(remote) if !remote.trim().is_empty() => Err(SqlError::NoSparkFeature(remote)),
                _ => Ok(Self::polars()),
            }
        }
    }

    /// Which engine runs the SQL: `polars`, or `Spark 4.2.1 at sc://host:port`.
    pub fn engine_name(&self) -> String {
        match &self.engine {
            Engine::Polars(_) => "polars".to_string(),
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => format!("Spark {} at {}", spark.version(), spark.remote()),
        }
    }

    /// True when the SQL runs on a Spark Connect server.
    pub fn is_spark(&self) -> bool {
        !matches!(self.engine, Engine::Polars(_))
    }

    /// Registers the events of a downloaded dataset as the view `view`. polars reads them
    /// here ([`Downloaded::events`]); Spark reads the extracted file itself, so the server
    /// must see this machine's files (a server on this machine, or a shared file system).
    /// A dataset of another form, or of several files, is first written as one JSON lines
    /// file beside the extracted files ([`Downloaded::json_lines_file`]). For data already on
    /// the cluster, use [`Sql::register_json_lines`] with the cluster's path.
    pub fn register_events(&mut self, view: &str, dataset: &Downloaded) -> SqlResult<()> {
        match &mut self.engine {
            Engine::Polars(ctx) => {
                ctx.register(view, dataset.events()?.lazy());
                Ok(())
            }
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => {
                let path = dataset.json_lines_file()?;
                Ok(spark.read_json_lines(view, &path.display().to_string())?)
            }
        }
    }

    /// Registers a JSON lines event file as the view `view`. For Spark, `location` is read by
    /// the server: a path on the cluster or a URL it can read (`s3://...`); for polars, a
    /// path on this machine.
    pub fn register_json_lines(&mut self, view: &str, location: &str) -> SqlResult<()> {
        match &mut self.engine {
            Engine::Polars(ctx) => {
                let events = huntbook_datasets::events::read_events(Path::new(location))?;
                ctx.register(view, events.lazy());
                Ok(())
            }
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => Ok(spark.read_json_lines(view, location)?),
        }
    }

    /// Registers a frame (a lookup table, an ATT&CK frame) as the view `view`; Spark receives
    /// a copy, so keep it small.
    pub fn register_frame(&mut self, view: &str, frame: &DataFrame) -> SqlResult<()> {
        match &mut self.engine {
            Engine::Polars(ctx) => {
                ctx.register(view, frame.clone().lazy());
                Ok(())
            }
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => Ok(spark.register_frame(view, frame)?),
        }
    }

    /// Runs one SQL statement and returns its result.
    pub fn query(&mut self, query: &str) -> SqlResult<DataFrame> {
        match &mut self.engine {
            Engine::Polars(ctx) => {
                ctx.execute(query)
                    .and_then(|lazy| lazy.collect())
                    .map_err(|source| SqlError::Polars {
                        action: format!("the query {}", query.trim()),
                        source,
                    })
            }
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => Ok(spark.sql(query)?),
        }
    }

    /// Rows and columns of a view, counted by the engine (Spark's data stays on the cluster).
    pub fn shape(&mut self, view: &str) -> SqlResult<(usize, usize)> {
        match &mut self.engine {
            Engine::Polars(ctx) => {
                let frame = ctx
                    .execute(&format!("SELECT * FROM {view}"))
                    .and_then(|lazy| lazy.collect())
                    .map_err(|source| SqlError::Polars {
                        action: format!("reading view {view}"),
                        source,
                    })?;
                Ok(frame.shape())
            }
            #[cfg(feature = "spark")]
            Engine::Spark(spark) => Ok(spark.shape(view)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polars_engine_runs_sql_on_frames() {
        let mut sql = Sql::polars();
        let frame = polars::df!["EventID" => [1i64, 1, 3], "User" => ["a", "b", "a"]].unwrap();
        sql.register_frame("events", &frame).unwrap();
        let counts = sql
            .query("SELECT EventID, count(*) AS n FROM events GROUP BY EventID ORDER BY n DESC")
            .unwrap();
        assert_eq!(counts.shape(), (2, 2));
        assert_eq!(sql.shape("events").unwrap(), (3, 2));
        assert_eq!(sql.engine_name(), "polars");
        let error = sql
            .query("SELECT nope FROM events")
            .unwrap_err()
            .to_string();
        assert!(error.contains("SELECT nope FROM events"), "{error}");
    }
}
