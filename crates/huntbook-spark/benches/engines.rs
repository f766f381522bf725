//! Benchmark: the workshop's group-by and join queries on the mirror's two LSASS campaign
//! datasets (about 235 MB of JSON lines, repeated `HUNTBOOK_BENCH_REPEAT` times, default 8:
//! about 1.9 GB), on polars (huntbook's reader and polars SQL, in this machine's memory), on
//! Sail in `local-cluster` mode and on Apache Spark `local[2]`, each server started on
//! 127.0.0.1. Prints load and query times and peak memory (the polars process, or the server's
//! process), and checks that the three engines return the same number of rows.
//!
//! `scripts/huntbook bench` runs it with the servers it installs. Settings:
//! `HUNTBOOK_TEST_MIRROR` (default `../shared/data`), `HUNTBOOK_SAIL`, `HUNTBOOK_SPARK_HOME` (an
//! engine without its setting is skipped), `HUNTBOOK_BENCH_REPEAT`,
//! `HUNTBOOK_BENCH_SPARK_MEMORY` (Spark's driver memory, default 12g).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use huntbook_datasets::archive::{self, Limits};
use huntbook_spark::{LocalServer, SailMode, Spark};
use huntbook_testkit::bench::{field, peak_rss_mb, peak_rss_mb_of};
use polars::prelude::*;
use polars::sql::SQLContext;

const CHILD: &str = "HUNTBOOK_BENCH_POLARS_FILE";
const DATASETS: [&str; 2] = [
    "security-datasets/master/datasets/compound/LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip",
    "security-datasets/master/datasets/compound/LSASS_campaign_07/metasploit_nanodump_lsass_memory_dump.zip",
];

/// The workshop's kinds of query on the LSASS events: a group-by, and a join of the process
/// accesses to lsass.exe (Sysmon 10) with the creation of the accessing process (Sysmon 1).
const QUERIES: [(&str, &str); 2] = [
    (
        "group-by",
        "SELECT Channel, EventID, count(*) AS Count FROM lsass GROUP BY Channel, EventID HAVING Count > 10 ORDER BY Count DESC",
    ),
    (
        "join",
        "SELECT p.Image, a.GrantedAccess, count(*) AS Count
         FROM (SELECT SourceProcessGUID, GrantedAccess FROM lsass
               WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 10 AND lower(TargetImage) LIKE '%lsass.exe') a
         INNER JOIN (SELECT ProcessGuid, Image FROM lsass WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 1) p
         ON a.SourceProcessGUID = p.ProcessGuid
         GROUP BY p.Image, a.GrantedAccess ORDER BY Count DESC",
    ),
];

/// The offline mirror (`HUNTBOOK_TEST_MIRROR`, or `shared/data` beside the repository).
fn mirror() -> PathBuf {
    huntbook_testkit::mirror_dir()
}

/// One measurement: seconds to load, seconds and rows of each query, peak memory in MB.
struct Figures {
    load: f64,
    queries: Vec<(f64, usize)>,
    peak_mb: f64,
}

/// The polars run, in a fresh process so that its peak memory is its own.
fn polars_child(file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let events = huntbook_datasets::events::read_json_lines(file)?;
    let load = start.elapsed().as_secs_f64();
    let mut ctx = SQLContext::new();
    ctx.register("lsass", events.lazy());
    let mut parts = vec![format!("\"load\": {load}")];
    for (name, query) in QUERIES {
        let start = Instant::now();
        let rows = ctx.execute(query)?.collect()?.height();
        parts.push(format!("\"{name}\": {}", start.elapsed().as_secs_f64()));
        parts.push(format!("\"{name}_rows\": {rows}"));
    }
    parts.push(format!("\"peak_rss_mb\": {}", peak_rss_mb()));
    println!("{{{}}}", parts.join(", "));
    Ok(())
}

fn polars(file: &Path) -> Result<Figures, String> {
    let out = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .env(CHILD, file)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok(Figures {
        load: field(&line, "load"),
        queries: QUERIES
            .iter()
            .map(|(name, _)| {
                (
                    field(&line, name),
                    field(&line, &format!("{name}_rows")) as usize,
                )
            })
            .collect(),
        peak_mb: field(&line, "peak_rss_mb"),
    })
}

/// A server run: loading is registering the view, which infers the schema from every record (a
/// full read of the file); each query then reads the file again, as a cluster reads its
/// storage, where polars queries the frame it holds in memory.
fn server(server: &LocalServer, file: &Path) -> Result<Figures, String> {
    let spark = Spark::connect(&server.remote()).map_err(|e| e.to_string())?;
    // As the notebooks' sessions: Sysmon 10 and 8 spell SourceProcessGUID and
    // SourceProcessGuid, which Spark otherwise refuses as one column twice.
    spark
        .set_conf("spark.sql.caseSensitive", "true")
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    spark
        .read_json_lines("lsass", &file.display().to_string())
        .map_err(|e| e.to_string())?;
    let load = start.elapsed().as_secs_f64();
    let mut queries = Vec::new();
    for (_, query) in QUERIES {
        let start = Instant::now();
        let rows = spark.sql(query).map_err(|e| e.to_string())?.height();
        queries.push((start.elapsed().as_secs_f64(), rows));
    }
    Ok(Figures {
        load,
        queries,
        peak_mb: peak_rss_mb_of(&server.pid().to_string()),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(file) = std::env::var_os(CHILD) {
        return polars_child(Path::new(&file));
    }
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    let repeat: usize = std::env::var("HUNTBOOK_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(8);
    let work = tempfile::tempdir()?;
    let mut sources = Vec::new();
    for (i, dataset) in DATASETS.iter().enumerate() {
        let extracted = archive::extract(
            &mirror().join(dataset),
            &work.path().join(i.to_string()),
            &Limits::default(),
        )?;
        sources.extend(extracted.files.iter().map(|f| extracted.dir.join(f)));
    }
    let file = work.path().join("lsass.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
        for _ in 0..repeat {
            for source in &sources {
                let bytes = std::fs::read(source)?;
                out.write_all(&bytes)?;
                if !bytes.ends_with(b"\n") {
                    out.write_all(b"\n")?;
                }
            }
        }
        out.flush()?;
    }
    let size_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    println!("LSASS campaigns 05 and 07, {repeat} times: {size_mb:.0} MB of JSON lines");

    let mut results: Vec<(String, Figures)> = Vec::new();
    results.push((
        "polars (huntbook reader, polars SQL)".into(),
        polars(&file)?,
    ));
    if let Some(sail) = std::env::var_os("HUNTBOOK_SAIL") {
        let local = LocalServer::sail(Path::new(&sail), SailMode::LocalCluster, None)?;
        match server(&local, &file) {
            Ok(figures) => results.push((local.name().to_string(), figures)),
            Err(error) => println!("{}: failed: {error}", local.name()),
        }
    }
    if let Some(home) = std::env::var_os("HUNTBOOK_SPARK_HOME") {
        let memory = std::env::var("HUNTBOOK_BENCH_SPARK_MEMORY").unwrap_or_else(|_| "12g".into());
        let local = LocalServer::spark(
            Path::new(&home),
            "local[2]",
            &[("spark.driver.memory", &memory)],
        )?;
        match server(&local, &file) {
            Ok(figures) => results.push((local.name().to_string(), figures)),
            Err(error) => println!("{}: failed: {error}", local.name()),
        }
    }
    println!(
        "{:<40} {:>9} {:>10} {:>9} {:>12}",
        "engine", "load s", "group-by s", "join s", "peak MB"
    );
    for (name, f) in &results {
        println!(
            "{:<40} {:>9.2} {:>10.2} {:>9.2} {:>12.0}",
            name, f.load, f.queries[0].0, f.queries[1].0, f.peak_mb
        );
    }
    let rows: Vec<Vec<usize>> = results
        .iter()
        .map(|(_, f)| f.queries.iter().map(|q| q.1).collect())
        .collect();
    println!("rows per query: {rows:?}");
    if rows.windows(2).any(|w| w[0] != w[1]) {
        return Err("the engines returned different numbers of rows".into());
    }
    Ok(())
}
