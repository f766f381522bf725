//! huntbook-spark against real Spark Connect servers started on 127.0.0.1 by the test: Sail
//! (`local` and `local-cluster`) and Apache Spark (`local[2]`). Each must give the same rows as
//! polars SQL for the workshop's kinds of query, on our own small fixtures and on the mirror's
//! workshop datasets, and refuse bad input with errors that name it.
//!
//! The servers come from `HUNTBOOK_SAIL` (the `sail` command of pysail) and
//! `HUNTBOOK_SPARK_HOME` (holding bin/spark-submit and jars/spark-connect_*.jar), which
//! `scripts/huntbook test` installs and the test command sets. Without them the test is skipped
//! with a note, or fails under the test command (`huntbook_testkit::missing`).

use std::path::{Path, PathBuf};

use huntbook_datasets::Datasets;
use huntbook_fetch::{FetchConfig, Fetcher, Location};
use huntbook_spark::{Error, LocalServer, SailMode, Spark};
use polars::prelude::*;
use polars::sql::SQLContext;

/// The servers this machine can start, each started now.
fn servers() -> Vec<LocalServer> {
    let sail = std::env::var_os("HUNTBOOK_SAIL").map(PathBuf::from);
    let spark_home = std::env::var_os("HUNTBOOK_SPARK_HOME").map(PathBuf::from);
    let (Some(sail), Some(spark_home)) = (sail, spark_home) else {
        return huntbook_testkit::missing(
            "the Sail and Apache Spark servers",
            "set HUNTBOOK_SAIL and HUNTBOOK_SPARK_HOME (the test command installs both)",
        )
        .unwrap_or_default();
    };
    vec![
        LocalServer::sail(&sail, SailMode::Local, None).unwrap(),
        LocalServer::sail(&sail, SailMode::LocalCluster, Some(2)).unwrap(),
        LocalServer::spark(&spark_home, "local[2]", &[]).unwrap(),
    ]
}

fn connect(server: &LocalServer) -> Spark {
    let spark = Spark::connect(&server.remote())
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", server.name(), server.log()));
    spark.set_conf("spark.sql.caseSensitive", "true").unwrap();
    spark
}

/// A frame's rows as sorted lists of text, with its column names: what two engines must agree
/// on whatever their integer widths and row order.
fn canonical(frame: &DataFrame) -> (Vec<String>, Vec<Vec<String>>) {
    let names = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    // Floats as Rust prints them (389.0 as 389): pandas typing makes a whole-number column
    // with gaps a float, where Spark infers a bigint.
    let text: Vec<Series> = frame
        .columns()
        .iter()
        .map(|c| {
            let series = c.as_materialized_series();
            if series.dtype().is_float() {
                let floats = series.cast(&DataType::Float64).unwrap();
                let shown: Vec<Option<String>> = floats
                    .f64()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(|v| v.to_string()))
                    .collect();
                Series::new(series.name().clone(), shown)
            } else {
                series.cast(&DataType::String).unwrap()
            }
        })
        .collect();
    let mut rows: Vec<Vec<String>> = (0..frame.height())
        .map(|i| {
            text.iter()
                .map(|s| s.str().unwrap().get(i).unwrap_or("<null>").to_string())
                .collect()
        })
        .collect();
    rows.sort();
    (names, rows)
}

fn polars_sql(views: &[(&str, &DataFrame)], query: &str) -> DataFrame {
    let mut ctx = SQLContext::new();
    for (name, frame) in views {
        ctx.register(name, (*frame).clone().lazy());
    }
    ctx.execute(query)
        .and_then(|q| q.collect())
        .unwrap_or_else(|e| panic!("polars: {query}: {e}"))
}

fn write_lines(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Our fixture: 1500 events of two kinds, a field that appears only at event 1400 (past the
/// 1000 records Sail samples by default), and two fields differing only in case (Sysmon 10's
/// `SourceProcessGUID` and Sysmon 8's `SourceProcessGuid`).
fn fixture(dir: &Path) -> (PathBuf, DataFrame) {
    let lines: Vec<String> = (0..1500)
        .map(|i| {
            let late = if i == 1400 { r#","Late":"seen""# } else { "" };
            if i % 3 == 0 {
                format!(
                    r#"{{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":10,"SourceProcessGUID":"g{}","GrantedAccess":"0x1410","Image":"img{}.exe"{late}}}"#,
                    i % 7,
                    i % 5
                )
            } else {
                format!(
                    r#"{{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":8,"SourceProcessGuid":"g{}","Image":"img{}.exe"{late}}}"#,
                    i % 7,
                    i % 4
                )
            }
        })
        .collect();
    let path = write_lines(dir, "events.json", &lines);
    let frame = huntbook_datasets::events::read_events(&path).unwrap();
    (path, frame)
}

const FIXTURE_QUERIES: &[&str] = &[
    "SELECT count(Late) AS n, max(Late) AS late FROM events",
    "SELECT EventID, count(*) AS Count FROM events GROUP BY EventID HAVING Count > 10 ORDER BY Count DESC",
    "SELECT Image, count(*) AS Count FROM events WHERE EventID = 8 AND Image LIKE '%img1%' GROUP BY Image",
    "SELECT count(*) AS n FROM events WHERE SourceProcessGUID IS NOT NULL",
    "SELECT count(*) AS n FROM events WHERE SourceProcessGuid IS NOT NULL",
    "SELECT a.Image AS accessor, t.Image AS thread, a.GrantedAccess
     FROM (SELECT Image, GrantedAccess, SourceProcessGUID AS Guid FROM events WHERE EventID = 10) a
     INNER JOIN (SELECT Image, SourceProcessGuid FROM events WHERE EventID = 8) t
     ON a.Guid = t.SourceProcessGuid",
];

#[test]
fn servers_agree_with_polars_and_refuse_bad_input() {
    let servers = servers();
    if servers.is_empty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (events_path, events) = fixture(dir.path());
    let empty = write_lines(dir.path(), "empty.json", &[]);
    let array = dir.path().join("array.json");
    std::fs::write(&array, r#"[{"EventID": 1}, {"EventID": 2}]"#).unwrap();
    let rights = df![
        "GrantedAccess" => ["0x1410", "0x1fffff"],
        "Rights" => [Some("PROCESS_VM_READ | PROCESS_QUERY_INFORMATION"), None],
        "Bits" => [0x1410i64, 0x1fffff],
    ]
    .unwrap();

    for server in &servers {
        let name = server.name();
        let spark = connect(server);
        spark
            .read_json_lines("events", &events_path.display().to_string())
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        for query in FIXTURE_QUERIES {
            let ours = spark.sql(query).unwrap_or_else(|e| panic!("{name}: {e}"));
            let reference = polars_sql(&[("events", &events)], query);
            assert_eq!(canonical(&ours), canonical(&reference), "{name}: {query}");
        }
        assert_eq!(
            canonical(&spark.sql(FIXTURE_QUERIES[0]).unwrap()).1,
            vec![vec!["1".to_string(), "seen".to_string()]],
            "{name}: the field seen only at event 1400 must be in the schema"
        );

        // A frame sent from Rust, joined with the events on the server.
        spark.register_frame("rights", &rights).unwrap();
        let join = "SELECT e.Image, r.Rights, r.Bits FROM events e INNER JOIN rights r ON e.GrantedAccess = r.GrantedAccess WHERE e.EventID = 10";
        let ours = spark.sql(join).unwrap();
        let reference = polars_sql(&[("events", &events), ("rights", &rights)], join);
        assert_eq!(ours.height(), 500, "{name}");
        assert_eq!(canonical(&ours), canonical(&reference), "{name}: {join}");
        let sent = spark.sql("SELECT * FROM rights").unwrap();
        assert_eq!(
            canonical(&sent),
            canonical(&rights),
            "{name}: the frame as sent"
        );

        // An empty result keeps its columns.
        let none = spark
            .sql("SELECT Image, EventID FROM events WHERE EventID = 4624")
            .unwrap();
        assert_eq!(none.shape(), (0, 2), "{name}");
        assert_eq!(none.get_column_names(), ["Image", "EventID"], "{name}");

        assert_eq!(spark.shape("events").unwrap(), events.shape(), "{name}");

        // Bad input: each error names what was wrong.
        for path in [dir.path().join("missing.json"), empty.clone()] {
            let error = spark
                .read_json_lines("bad", &path.display().to_string())
                .unwrap_err();
            assert!(
                error.to_string().contains(&path.display().to_string()),
                "{name}: {error}"
            );
        }
        let error = spark
            .read_json_lines("bad", &empty.display().to_string())
            .unwrap_err();
        assert!(matches!(error, Error::NoEvents { .. }), "{name}: {error}");
        match spark.read_json_lines("array", &array.display().to_string()) {
            // Spark reads an array line as one record per element (it is one line here);
            // Sail refuses or finds no object: either way nothing wrong is registered.
            Ok(()) => assert_eq!(spark.shape("array").unwrap().0, 2, "{name}"),
            Err(error) => assert!(error.to_string().contains("array.json"), "{name}: {error}"),
        }
        let error = spark.sql("SELECT NoSuchColumn FROM events").unwrap_err();
        assert!(matches!(error, Error::Server { .. }), "{name}: {error}");
        assert!(
            error.to_string().contains("NoSuchColumn"),
            "{name}: {error}"
        );
        let error = spark
            .register_frame(
                "lists",
                &df!["tags" => [Series::new("".into(), ["a"])]].unwrap(),
            )
            .unwrap_err();
        assert!(
            matches!(error, Error::UnsupportedColumn { .. }),
            "{name}: {error}"
        );
    }
}

/// The workshop's SQL on the mirror's datasets (process injection, DCSync, remote WMI): the
/// same rows from polars SQL, Sail and Spark.
#[test]
fn workshop_queries_give_the_same_rows_on_every_engine() {
    huntbook_testkit::mirror_or_skip!();
    let servers = servers();
    if servers.is_empty() {
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_mirror(Location::from_dir(&huntbook_testkit::mirror_dir()).unwrap())
        .with_cache_dir(cache.path())
        .with_offline(true);
    let datasets = Datasets::new(Fetcher::new(config));
    let base = "https://raw.githubusercontent.com/OTRF/infosec-jupyter-book/master/docs/community-workshops/defcon_btv_2020/datasets/";
    let views: Vec<(&str, PathBuf, DataFrame)> = [
        ("psinject", "empire_psinject.zip"),
        (
            "dcsync",
            "covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip",
        ),
        (
            "wmi",
            "covenant_sharpwmi_dcerpc_wmi_remotecreateinstance.zip",
        ),
    ]
    .into_iter()
    .map(|(view, file)| {
        let downloaded = datasets.download(&format!("{base}{file}")).unwrap();
        let path = downloaded.event_files()[0].to_path_buf();
        (view, path, downloaded.events().unwrap())
    })
    .collect();
    let frames: Vec<(&str, &DataFrame)> = views.iter().map(|(v, _, f)| (*v, f)).collect();
    let queries = [
        "SELECT SourceImage, TargetImage, StartFunction FROM psinject WHERE Channel = 'Microsoft-Windows-Sysmon/Operational' AND EventID = 8 AND SourceImage LIKE '%powershell.exe%'",
        "SELECT DestinationIp, count(*) as Frequency FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 3 GROUP BY DestinationIp HAVING Frequency > 10 ORDER BY Frequency DESC",
        "SELECT GrantedAccess, count(*) as Count FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 10 GROUP BY GrantedAccess ORDER BY Count DESC, GrantedAccess",
        "SELECT n.Image, n.DestinationIp, n.DestinationPort, p.ParentImage FROM psinject n LEFT JOIN (SELECT ProcessGuid, ParentImage FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 1) p ON n.ProcessGuid = p.ProcessGuid WHERE lower(n.Channel) LIKE '%sysmon%' AND n.EventID = 3",
        "SELECT a.SourceImage, a.TargetImage, a.GrantedAccess, t.StartAddress FROM (SELECT SourceImage, TargetImage, GrantedAccess, SourceProcessGUID AS SourceGuid, TargetProcessGUID AS TargetGuid FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 10) a INNER JOIN (SELECT SourceProcessGuid, TargetProcessGuid, StartAddress FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 8) t ON a.SourceGuid = t.SourceProcessGuid AND a.TargetGuid = t.TargetProcessGuid",
        "SELECT DISTINCT t.TargetImage, n.DestinationIp, n.DestinationPort FROM (SELECT TargetProcessGuid, TargetImage FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 8) t INNER JOIN (SELECT ProcessGuid, DestinationIp, DestinationPort FROM psinject WHERE lower(Channel) LIKE '%sysmon%' AND EventID = 3) n ON t.TargetProcessGuid = n.ProcessGuid",
        "SELECT o.SubjectUserName, o.SubjectLogonId, o.ObjectName, a.IpAddress FROM dcsync o INNER JOIN (SELECT TargetLogonId, IpAddress FROM dcsync WHERE lower(Channel) = 'security' AND EventID = 4624 AND LogonType = 3) a ON o.SubjectLogonId = a.TargetLogonId WHERE lower(o.Channel) = 'security' AND o.EventID = 4662 AND o.AccessMask = '0x100' AND (o.Properties LIKE '%1131f6aa-9c07-11d1-f79f-00c04fc2dcd2%' OR o.Properties LIKE '%1131f6ad-9c07-11d1-f79f-00c04fc2dcd2%' OR o.Properties LIKE '%89e95b76-444d-4c62-991a-0facbeda640c%')",
        "SELECT b.NewProcessName, b.CommandLine, a.TargetUserName, a.IpAddress FROM wmi b INNER JOIN (SELECT TargetLogonId, TargetUserName, IpAddress FROM wmi WHERE lower(Channel) = 'security' AND EventID = 4624 AND LogonType = 3) a ON b.TargetLogonId = a.TargetLogonId WHERE lower(b.Channel) = 'security' AND b.EventID = 4688 AND lower(b.ParentProcessName) LIKE '%wmiprvse.exe%'",
    ];
    let reference: Vec<_> = queries
        .iter()
        .map(|q| canonical(&polars_sql(&frames, q)))
        .collect();
    assert!(
        reference.iter().all(|(_, rows)| !rows.is_empty()),
        "every query finds rows"
    );
    for server in &servers {
        let name = server.name();
        let spark = connect(server);
        for (view, path, frame) in &views {
            spark
                .read_json_lines(view, &path.display().to_string())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                spark.shape(view).unwrap().0,
                frame.height(),
                "{name}: {view}"
            );
        }
        for (query, expected) in queries.iter().zip(&reference) {
            let ours = spark
                .sql(query)
                .unwrap_or_else(|e| panic!("{name}: {query}: {e}"));
            assert_eq!(&canonical(&ours), expected, "{name}: {query}");
        }
    }
}
