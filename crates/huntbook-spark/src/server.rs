//! Spark Connect servers started on this machine, on a free 127.0.0.1 port, and stopped when
//! dropped: Sail (a Rust Spark Connect server, no JVM) in its `local` or `local-cluster` mode,
//! or Apache Spark's own connect server on a `local[N]` master. For the tests and benchmarks,
//! and to try the Spark path of a notebook with no cluster at hand.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long a server may take to listen (Spark starts a JVM and a SparkContext first).
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// Sail's two single-machine modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SailMode {
    /// One process runs the whole query.
    Local,
    /// A driver and workers, as in a cluster, on threads of one process.
    LocalCluster,
}

impl SailMode {
    fn as_str(self) -> &'static str {
        match self {
            SailMode::Local => "local",
            SailMode::LocalCluster => "local-cluster",
        }
    }
}

/// A Spark Connect server running on this machine until dropped.
#[derive(Debug)]
pub struct LocalServer {
    name: String,
    child: Child,
    port: u16,
    log: PathBuf,
    // Working directory (Spark writes spark-warehouse/ and metastore_db/ there) and log.
    _dir: tempfile::TempDir,
}

impl LocalServer {
    /// Starts Sail (`sail spark server`) in `mode`; `sail` is the command pysail installs.
    /// `workers` sets the number of workers of `local-cluster` mode (Sail's default when
    /// `None`).
    pub fn sail(sail: &Path, mode: SailMode, workers: Option<usize>) -> Result<Self> {
        let name = format!("Sail ({})", mode.as_str());
        let dir = temp_dir(&name)?;
        let port = free_port(&name, sail)?;
        let mut command = Command::new(sail);
        command
            .args(["spark", "server", "--ip", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .env("SAIL_MODE", mode.as_str());
        if let Some(workers) = workers {
            command.env("SAIL_CLUSTER__WORKER_INITIAL_COUNT", workers.to_string());
        }
        Self::start(name, command, port, dir)
    }

    /// Starts Apache Spark's connect server (`SparkConnectServer`, through `spark-submit`) on
    /// `master` (`local[2]`, ...), with extra `--conf` settings (`spark.driver.memory`, ...).
    /// `spark_home` holds `bin/spark-submit` and `jars/spark-connect_*.jar`: a Spark 4
    /// distribution, or the `pyspark` folder of `pip install "pyspark[connect]"`.
    pub fn spark(spark_home: &Path, master: &str, conf: &[(&str, &str)]) -> Result<Self> {
        let name = format!("Apache Spark ({master})");
        let submit = spark_home.join("bin/spark-submit");
        let jar = connect_jar(spark_home).ok_or_else(|| Error::Launch {
            server: name.clone(),
            program: spark_home.join("jars"),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no spark-connect_*.jar there (pip install \"pyspark[connect]\", or a Spark 4 distribution)",
            ),
        })?;
        let dir = temp_dir(&name)?;
        let port = free_port(&name, &submit)?;
        let mut command = Command::new(&submit);
        command
            .env("SPARK_HOME", spark_home)
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .args(["--master", master])
            .args([
                "--class",
                "org.apache.spark.sql.connect.service.SparkConnectServer",
            ]);
        let mut settings = vec![
            (
                "spark.connect.grpc.binding.address".to_string(),
                "127.0.0.1".to_string(),
            ),
            (
                "spark.connect.grpc.binding.port".to_string(),
                port.to_string(),
            ),
            (
                "spark.driver.bindAddress".to_string(),
                "127.0.0.1".to_string(),
            ),
            ("spark.driver.host".to_string(), "127.0.0.1".to_string()),
            ("spark.ui.enabled".to_string(), "false".to_string()),
        ];
        settings.extend(conf.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        for (key, value) in settings {
            command.arg("--conf").arg(format!("{key}={value}"));
        }
        command.arg(jar);
        Self::start(name, command, port, dir)
    }

    fn start(
        name: String,
        mut command: Command,
        port: u16,
        dir: tempfile::TempDir,
    ) -> Result<Self> {
        let log = dir.path().join("server.log");
        let launch_error = |program: PathBuf, source| Error::Launch {
            server: name.clone(),
            program,
            source,
        };
        let program = PathBuf::from(command.get_program());
        let out = File::create(&log).map_err(|e| launch_error(log.clone(), e))?;
        let err = out.try_clone().map_err(|e| launch_error(log.clone(), e))?;
        command
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = command.spawn().map_err(|e| launch_error(program, e))?;
        let mut server = LocalServer {
            name,
            child,
            port,
            log,
            _dir: dir,
        };
        server.wait_until_listening()?;
        Ok(server)
    }

    fn wait_until_listening(&mut self) -> Result<()> {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.not_started(format!("it exited ({status})")));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(self.not_started(format!(
                    "nothing listened on {address} after {} s",
                    START_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn not_started(&self, reason: String) -> Error {
        Error::LocalServer {
            server: self.name.clone(),
            reason,
            log: self.log.clone(),
            tail: log_tail(&self.log, 4000),
        }
    }

    /// The Spark Connect address to give [`crate::Spark::connect`].
    pub fn remote(&self) -> String {
        format!("sc://127.0.0.1:{}", self.port)
    }

    /// The server's process id (to measure its memory, say).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's log so far (its standard output and error).
    pub fn log(&self) -> String {
        log_tail(&self.log, usize::MAX)
    }

    /// Which server this is: `Sail (local-cluster)`, `Apache Spark (local[2])`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_dir(server: &str) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("huntbook-spark-server-")
        .tempdir()
        .map_err(|source| Error::Launch {
            server: server.to_string(),
            program: std::env::temp_dir(),
            source,
        })
}

/// A port nothing listens on now (the kernel's pick for port 0).
fn free_port(server: &str, program: &Path) -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|source| Error::Launch {
            server: server.to_string(),
            program: program.to_path_buf(),
            source,
        })
}

/// The connect server's jar in `spark_home/jars`, whatever its Scala and Spark versions.
fn connect_jar(spark_home: &Path) -> Option<PathBuf> {
    std::fs::read_dir(spark_home.join("jars"))
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("spark-connect_") && n.ends_with(".jar"))
        })
}

/// The last `limit` bytes of a log, as text.
fn log_tail(path: &Path, limit: usize) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    let start = length.saturating_sub(u64::try_from(limit).unwrap_or(u64::MAX));
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err() || file.read_to_end(&mut bytes).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_exits_is_an_error_with_its_log() {
        // `false`-like program: a shell that prints and exits before listening.
        let dir = temp_dir("test").unwrap();
        let mut command = Command::new("sh");
        command.args(["-c", "echo 'bind failed: address in use' >&2; exit 3"]);
        let error = LocalServer::start(
            "test".into(),
            command,
            free_port("test", Path::new("sh")).unwrap(),
            dir,
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("exited"), "{message}");
        assert!(message.contains("bind failed: address in use"), "{message}");
    }

    #[test]
    fn a_missing_program_is_named() {
        let error =
            LocalServer::sail(Path::new("/nonexistent/sail"), SailMode::Local, None).unwrap_err();
        assert!(error.to_string().contains("/nonexistent/sail"), "{error}");
    }

    #[test]
    fn a_spark_home_without_the_connect_jar_is_named() {
        let home = tempfile::tempdir().unwrap();
        let error = LocalServer::spark(home.path(), "local[1]", &[]).unwrap_err();
        assert!(error.to_string().contains("spark-connect_"), "{error}");
    }
}
