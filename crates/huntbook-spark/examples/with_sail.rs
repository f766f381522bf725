//! Runs a command beside a Sail Spark Connect server started on 127.0.0.1 (local-cluster
//! mode), with `HUNTBOOK_SPARK_REMOTE` set to its address, and stops the server when the
//! command ends; exits with the command's status. The test command runs the SQL notebook
//! this way:
//!
//! ```sh
//! HUNTBOOK_SAIL=.../bin/sail cargo run -p huntbook-spark --example with_sail -- python ...
//! ```

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use huntbook_spark::{LocalServer, SailMode};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: with_sail COMMAND [ARGUMENT...]  (HUNTBOOK_SAIL: the sail command)");
        return ExitCode::from(2);
    };
    let Some(sail) = std::env::var_os("HUNTBOOK_SAIL").map(PathBuf::from) else {
        eprintln!("with_sail: HUNTBOOK_SAIL is not set (the `sail` command pysail installs)");
        return ExitCode::from(2);
    };
    let server = match LocalServer::sail(&sail, SailMode::LocalCluster, None) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("with_sail: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("with_sail: {} at {}", server.name(), server.remote());
    let status = Command::new(&program)
        .args(args)
        .env("HUNTBOOK_SPARK_REMOTE", server.remote())
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!(
                "with_sail: {} exited with {status}",
                program.to_string_lossy()
            );
            ExitCode::from(status.code().map_or(1, |c| c.clamp(1, 255) as u8))
        }
        Err(e) => {
            eprintln!("with_sail: cannot run {}: {e}", program.to_string_lossy());
            ExitCode::FAILURE
        }
    }
}
