//! A Spark Connect session for the notebooks: connect, read event files into views, run SQL
//! and get polars frames back, send small frames for joins.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use polars::prelude::DataFrame;
use spark_connect::types::DataType as SparkType;
use spark_connect::SparkSession;
use spark_connect_core::channel::ChannelBuilder;

use crate::error::{redact, Error, Result};
use crate::frames;

/// The variable that names the Spark Connect endpoint (`sc://host:port/;...`).
pub const REMOTE_VAR: &str = "HUNTBOOK_SPARK_REMOTE";
/// The variable that holds an access token, added to the endpoint's parameters so that it need
/// not be written in a notebook.
pub const TOKEN_VAR: &str = "HUNTBOOK_SPARK_TOKEN";

/// How long the reachability check waits for each address of the endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sail's JSON reader infers a schema from the first 1000 records unless told otherwise; event
/// logs mix event types with different fields, so it is told to look at every record (Spark
/// reads every record by default and ignores the option).
const SCHEMA_INFER_MAX_RECORDS: &str = "1000000000";

/// A session on a Spark Connect server: Apache Spark 4.x, a managed service that speaks Spark
/// Connect, or Sail.
///
/// ```no_run
/// use huntbook_spark::Spark;
///
/// let spark = Spark::connect("sc://127.0.0.1:15002")?;
/// spark.read_json_lines("events", "/data/lsass.json")?;
/// let counts = spark.sql("SELECT EventID, count(*) AS n FROM events GROUP BY EventID")?;
/// println!("{counts}");
/// # Ok::<(), huntbook_spark::Error>(())
/// ```
pub struct Spark {
    session: SparkSession,
    remote: String,
    version: String,
}

impl std::fmt::Debug for Spark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spark")
            .field("remote", &self.remote)
            .field("version", &self.version)
            .finish()
    }
}

impl Spark {
    /// Connects to `remote`, a Spark Connect address: `sc://host:port`, with optional
    /// parameters after `/;` as the Spark Connect clients take them (`token=...`,
    /// `use_ssl=true`, `user_id=...`). A token is sent only over TLS, except to a loopback
    /// address. Fails at once, naming the address, when nothing listens there.
    pub fn connect(remote: &str) -> Result<Self> {
        let shown = redact(remote);
        let channel = ChannelBuilder::parse(remote).map_err(|e| Error::Remote {
            remote: shown.clone(),
            reason: redact(&e.to_string()),
        })?;
        // The client retries an unreachable endpoint for minutes with its default policy,
        // which cannot be changed through its public API: check first that something
        // accepts connections there.
        check_reachable(&shown, channel.host(), channel.port())?;
        let session = SparkSession::builder()
            .remote(remote)
            .get_or_create()
            .map_err(|e| Error::Server {
                remote: shown.clone(),
                action: "opening a session".into(),
                message: redact(&e.to_string()),
            })?;
        let version = session.version().map_err(|e| Error::Server {
            remote: shown.clone(),
            action: "asking the server's Spark version".into(),
            message: redact(&e.to_string()),
        })?;
        Ok(Spark {
            session,
            remote: shown,
            version,
        })
    }

    /// Connects to the endpoint named by `HUNTBOOK_SPARK_REMOTE`, adding the token in
    /// `HUNTBOOK_SPARK_TOKEN` when set. `Ok(None)` when no endpoint is named.
    pub fn from_env() -> Result<Option<Self>> {
        let Some(remote) = std::env::var(REMOTE_VAR)
            .ok()
            .filter(|r| !r.trim().is_empty())
        else {
            return Ok(None);
        };
        let remote = match std::env::var(TOKEN_VAR).ok().filter(|t| !t.is_empty()) {
            Some(token) => with_param(remote.trim(), "token", &token),
            None => remote.trim().to_string(),
        };
        Self::connect(&remote).map(Some)
    }

    /// The endpoint, with any token hidden.
    pub fn remote(&self) -> &str {
        &self.remote
    }

    /// The server's Spark version (Sail answers with the Spark version it follows).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The client session, for what this type does not wrap.
    pub fn session(&self) -> &SparkSession {
        &self.session
    }

    /// Sets a Spark SQL setting for this session (`spark.sql.caseSensitive`, ...).
    pub fn set_conf(&self, key: &str, value: &str) -> Result<()> {
        self.session
            .conf()
            .set(key, value)
            .map_err(|e| self.server_error(format!("setting {key}={value}"), e))
    }

    /// Reads a JSON lines file (one event a line, as Security-Datasets ship them) into the
    /// temporary view `view`. `path` is read by the server: a path on the cluster's file
    /// system or a URL it can read (`s3://`, `abfss://`, `hdfs://`, ...), not a path of
    /// this machine unless the server runs here. The schema is inferred from every record.
    /// A missing or empty file, or one that is not JSON lines, is an error naming it.
    pub fn read_json_lines(&self, view: &str, path: &str) -> Result<()> {
        let action = format!("reading JSON lines {path} into view {view}");
        let frame = self
            .session
            .read()
            .option("schemaInferMaxRecords", SCHEMA_INFER_MAX_RECORDS)
            .json(path);
        let schema = frame.schema().map_err(|e| self.server_error(&action, e))?;
        let names = column_names(&schema);
        let no_events = |reason: &str| Error::NoEvents {
            remote: self.remote.clone(),
            view: view.to_string(),
            path: path.to_string(),
            reason: reason.to_string(),
        };
        if names.is_empty() {
            return Err(no_events(
                "its schema has no columns (a missing or empty file)",
            ));
        }
        if names == ["_corrupt_record"] {
            return Err(no_events(
                "no line parsed as a JSON object (a JSON array rather than JSON lines?)",
            ));
        }
        frame
            .create_or_replace_temp_view(view)
            .map_err(|e| self.server_error(&action, e))
    }

    /// Sends a small polars frame (a lookup table: ATT&CK techniques, access rights, ...) to
    /// the server as the temporary view `view`, for joins with the events there. Booleans,
    /// integers (as `bigint`), floats (as `double`) and strings are sent; other column types
    /// are an error naming the column.
    pub fn register_frame(&self, view: &str, frame: &DataFrame) -> Result<()> {
        let (rows, schema) =
            frames::frame_to_rows(frame).map_err(|unsupported| Error::UnsupportedColumn {
                view: view.to_string(),
                column: unsupported.column,
                dtype: unsupported.dtype,
            })?;
        let action = format!("sending a frame of {} rows as view {view}", frame.height());
        let remote = self
            .session
            .create_dataframe(rows, schema)
            .map_err(|e| self.server_error(&action, e))?;
        remote
            .create_or_replace_temp_view(view)
            .map_err(|e| self.server_error(&action, e))
    }

    /// Runs one SQL statement on the server and returns its result as a polars frame.
    pub fn sql(&self, query: &str) -> Result<DataFrame> {
        let action = format!("the query {}", one_line(query));
        let frame = self
            .session
            .sql(query)
            .map_err(|e| self.server_error(&action, e))?;
        let batches = frame
            .collect_record_batches()
            .map_err(|e| self.server_error(&action, e))?;
        let arrow_error = |message: String| Error::Arrow {
            remote: self.remote.clone(),
            action: action.clone(),
            message,
        };
        if batches.is_empty() {
            let schema = frame.schema().map_err(|e| self.server_error(&action, e))?;
            return frames::empty_frame(&schema).map_err(arrow_error);
        }
        frames::batches_to_frame(&batches).map_err(arrow_error)
    }

    /// Rows and columns of a view, counted by the server.
    pub fn shape(&self, view: &str) -> Result<(usize, usize)> {
        let action = format!("counting view {view}");
        let table = self
            .session
            .table(view)
            .map_err(|e| self.server_error(&action, e))?;
        let columns =
            column_names(&table.schema().map_err(|e| self.server_error(&action, e))?).len();
        let rows = table.count().map_err(|e| self.server_error(&action, e))?;
        Ok((usize::try_from(rows).unwrap_or(0), columns))
    }

    fn server_error(&self, action: impl Into<String>, error: impl std::fmt::Display) -> Error {
        Error::Server {
            remote: self.remote.clone(),
            action: action.into(),
            message: redact(&error.to_string()),
        }
    }
}

/// The column names of a struct schema (none for anything else).
fn column_names(schema: &SparkType) -> Vec<String> {
    match schema {
        SparkType::Struct { fields } => fields.iter().map(|f| f.name.clone()).collect(),
        _ => Vec::new(),
    }
}

/// A query on one line, cut at 200 characters, for error messages.
fn one_line(query: &str) -> String {
    let flat = query.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &flat[..at]),
        None => flat,
    }
}

/// `remote` with `key=value` added to (or replacing in) its parameters.
fn with_param(remote: &str, key: &str, value: &str) -> String {
    let (base, params) = match remote.split_once(';') {
        Some((base, params)) => (base, params),
        None => (remote, ""),
    };
    let mut parts: Vec<String> = params
        .split(';')
        .filter(|p| !p.is_empty())
        .filter(|p| p.split_once('=').map(|(k, _)| k) != Some(key))
        .map(str::to_string)
        .collect();
    parts.push(format!("{key}={value}"));
    let base = if base.trim_start_matches("sc://").contains('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    format!("{base};{}", parts.join(";"))
}

/// Fails unless something accepts TCP connections at `host:port`.
fn check_reachable(remote: &str, host: &str, port: u16) -> Result<()> {
    let address = format!("{host}:{port}");
    let unreachable = |source| Error::Unreachable {
        remote: remote.to_string(),
        address: address.clone(),
        source,
    };
    let mut last = None;
    for socket in (host, port).to_socket_addrs().map_err(unreachable)? {
        match TcpStream::connect_timeout(&socket, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(()),
            Err(error) => last = Some(error),
        }
    }
    Err(unreachable(last.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "the host has no address")
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_that_is_not_spark_connect_is_refused_by_name() {
        let error = Spark::connect("http://127.0.0.1:15002").unwrap_err();
        assert!(matches!(error, Error::Remote { .. }), "{error}");
        assert!(
            error.to_string().contains("http://127.0.0.1:15002"),
            "{error}"
        );
    }

    #[test]
    fn a_closed_port_fails_at_once_without_leaking_the_token() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let remote = format!("sc://127.0.0.1:{port}/;token=s3cr3t");
        let error = Spark::connect(&remote).unwrap_err();
        assert!(matches!(error, Error::Unreachable { .. }), "{error}");
        let message = error.to_string();
        assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
        assert!(!message.contains("s3cr3t"), "{message}");
    }

    #[test]
    fn a_host_that_does_not_resolve_is_named() {
        let error = Spark::connect("sc://no-such-host.invalid:15002").unwrap_err();
        assert!(matches!(error, Error::Unreachable { .. }), "{error}");
        assert!(
            error.to_string().contains("no-such-host.invalid"),
            "{error}"
        );
    }

    #[test]
    fn token_parameter_is_added_or_replaced() {
        assert_eq!(
            with_param("sc://h:443", "token", "t"),
            "sc://h:443/;token=t"
        );
        assert_eq!(
            with_param("sc://h:443/;use_ssl=true;token=old", "token", "t"),
            "sc://h:443/;use_ssl=true;token=t"
        );
    }

    #[test]
    fn long_queries_are_cut_in_messages() {
        let query = format!("SELECT *\n  FROM t WHERE {}", "x = 1 AND ".repeat(50));
        let shown = one_line(&query);
        assert!(shown.starts_with("SELECT * FROM t WHERE"));
        assert!(shown.ends_with("...") && shown.len() <= 203, "{shown}");
    }
}
