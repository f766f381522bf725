//! Benchmark: the ATT&CK workflows of huntbook-navigator against mitreattack-python 6.3.1
//! doing the same, in one run; print both and the ratios.
//!
//! - Layers: load the Enterprise bundle of ATT&CK 18.1, build APT29's (G0016) usage layer,
//!   draw it on the matrix as SVG (huntbook: [`group_layer`] and [`Layer::heatmap`];
//!   mitreattack: `UsageLayerGenerator` and `ToSvg`, which loads the bundle once more).
//! - Changes: load Enterprise 15.1 and 18.1 and list what changed (huntbook:
//!   `Attack::changes_since`; mitreattack: `diff_stix`'s `DiffStix`).
//!
//! `cargo bench -p huntbook-navigator --bench workflows` (or `scripts/bench.sh`, which also
//! sets up mitreattack-python). Settings: `HUNTBOOK_TEST_MIRROR` (default `../shared/data`),
//! `HUNTBOOK_MITREATTACK_PYTHON` (a Python with mitreattack-python 6.3.1; skipped when unset),
//! `HUNTBOOK_BENCH_RUNS` (default 5).
//!
//! Each huntbook measurement is a fresh child process (median over the runs), so its peak
//! resident memory (VmHWM) is that of one workflow, as each Python figure is.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use huntbook_attack::{Attack, Domain};
use huntbook_navigator::{group_layer, Subtechniques};
use huntbook_testkit::bench::{field, peak_rss_mb};

const CHILD: &str = "HUNTBOOK_BENCH_CHILD";
const GROUP: &str = "G0016";

type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

fn release_dir(release: &str) -> PathBuf {
    huntbook_testkit::mirror_dir().join(format!("mitre-cti/ATT&CK-v{release}/enterprise-attack"))
}

fn bundle(release: &str) -> PathBuf {
    release_dir(release).join("enterprise-attack.json")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Seconds `f` takes, with its result.
fn timed<T>(f: impl FnOnce() -> Fallible<T>) -> Fallible<(f64, T)> {
    let start = Instant::now();
    let value = f()?;
    Ok((start.elapsed().as_secs_f64(), value))
}

/// One layers run: load, the layer (median of 5 in this process), the heatmap SVG written to
/// a file (median of 5).
fn child_layers() -> Fallible<()> {
    let (load, attack) = timed(|| Ok(Attack::from_path(bundle("18.1"))?))?;
    let mut layer_times = Vec::new();
    let mut layer = None;
    for _ in 0..5 {
        let (t, l) = timed(|| Ok(group_layer(&attack, GROUP, false, Domain::Enterprise)?))?;
        layer_times.push(t);
        layer = Some(l);
    }
    let layer = layer.ok_or("no layer")?;
    let out = std::env::temp_dir().join(format!("huntbook-bench-{}.svg", std::process::id()));
    let mut svg_times = Vec::new();
    for _ in 0..5 {
        let (t, ()) = timed(|| {
            layer
                .heatmap(&attack, Subtechniques::Show)?
                .save_svg(&out)?;
            Ok(())
        })?;
        svg_times.push(t);
    }
    let _ = std::fs::remove_file(&out);
    println!(
        "{{\"load\": {load}, \"layer\": {}, \"svg\": {}, \"techniques\": {}, \"peak_rss_mb\": {}}}",
        median(layer_times),
        median(svg_times),
        layer.techniques.len(),
        peak_rss_mb()
    );
    Ok(())
}

/// One changes run: both releases loaded and compared.
fn child_changes() -> Fallible<()> {
    let (seconds, changes) = timed(|| {
        let old = Attack::from_path(bundle("15.1"))?;
        let new = Attack::from_path(bundle("18.1"))?;
        Ok(new.changes_since(&old)?)
    })?;
    println!(
        "{{\"seconds\": {seconds}, \"changes\": {}, \"peak_rss_mb\": {}}}",
        changes.height(),
        peak_rss_mb()
    );
    Ok(())
}

/// Runs this benchmark as a child `runs` times in `mode`; their JSON lines.
fn children(mode: &str, runs: usize) -> Fallible<Vec<String>> {
    let exe = std::env::current_exe()?;
    (0..runs)
        .map(|_| {
            let out = Command::new(&exe).env(CHILD, mode).output()?;
            if !out.status.success() {
                return Err(format!(
                    "huntbook {mode} run failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                )
                .into());
            }
            Ok(String::from_utf8(out.stdout)?)
        })
        .collect()
}

/// The median of `key` over the children's lines.
fn median_of(lines: &[String], key: &str) -> f64 {
    median(lines.iter().map(|l| field(l, key)).collect())
}

fn peak_of(lines: &[String]) -> f64 {
    lines
        .iter()
        .map(|l| field(l, "peak_rss_mb"))
        .fold(0.0, f64::max)
}

/// mitreattack_reference.py's answer to `args`, or why not.
fn reference(python: &Path, args: &[&str]) -> Fallible<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/reference/mitreattack_reference.py");
    let out = Command::new(python).arg(script).args(args).output()?;
    if !out.status.success() {
        return Err(format!(
            "mitreattack-python {} failed: {}",
            args[0],
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

fn path_str(p: &Path) -> Fallible<&str> {
    p.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", p.display()).into())
}

fn main() -> Fallible<()> {
    match std::env::var(CHILD).as_deref() {
        Ok("layers") => return child_layers(),
        Ok("changes") => return child_changes(),
        _ => {}
    }
    let runs = huntbook_testkit::bench::runs();
    let python = std::env::var_os("HUNTBOOK_MITREATTACK_PYTHON").map(PathBuf::from);

    let ours = children("layers", runs)?;
    println!(
        "ATT&CK 18.1 Enterprise from {}: APT29 ({GROUP}) usage layer and its matrix heatmap (SVG)",
        huntbook_testkit::mirror_dir().display()
    );
    let (load, layer, svg) = (
        median_of(&ours, "load"),
        median_of(&ours, "layer"),
        median_of(&ours, "svg"),
    );
    println!(
        "huntbook   : load {load:.3} s, layer {:.2} ms, heatmap SVG {:.1} ms (medians of {runs} processes), peak RSS {:.0} MB, {} techniques",
        layer * 1e3,
        svg * 1e3,
        peak_of(&ours),
        field(&ours[0], "techniques"),
    );
    let theirs = match &python {
        Some(python) => {
            let out =
                std::env::temp_dir().join(format!("mitreattack-bench-{}.svg", std::process::id()));
            let answer = reference(
                python,
                &[
                    "bench-layer",
                    path_str(&bundle("18.1"))?,
                    GROUP,
                    path_str(&out)?,
                ],
            );
            let _ = std::fs::remove_file(&out);
            Some(answer?)
        }
        None => {
            println!("mitreattack: skipped (set HUNTBOOK_MITREATTACK_PYTHON to a Python with mitreattack-python 6.3.1; scripts/bench.sh does)");
            None
        }
    };
    if let Some(theirs) = &theirs {
        let (t_load, t_layer, t_svg_load, t_svg) = (
            field(theirs, "load"),
            field(theirs, "layer"),
            field(theirs, "svg_load"),
            field(theirs, "svg"),
        );
        println!(
            "mitreattack: load {t_load:.3} s, layer {:.2} ms, ToSvg load {t_svg_load:.3} s, SVG {:.1} ms (one run), peak RSS {:.0} MB, {} techniques scored",
            t_layer * 1e3,
            t_svg * 1e3,
            field(theirs, "peak_rss_mb"),
            field(theirs, "techniques"),
        );
        println!(
            "ratio      : load {:.0}x, layer {:.0}x, SVG {:.0}x, end to end {:.0}x faster; {:.1}x less peak memory",
            t_load / load,
            t_layer / layer,
            t_svg / svg,
            (t_load + t_layer + t_svg_load + t_svg) / (load + layer + svg),
            field(theirs, "peak_rss_mb") / peak_of(&ours),
        );
    }

    let ours = children("changes", runs)?;
    let seconds = median_of(&ours, "seconds");
    println!("ATT&CK Enterprise 15.1 -> 18.1: what changed, both releases loaded");
    println!(
        "huntbook   : {seconds:.3} s (median of {runs} processes), peak RSS {:.0} MB, {} rows",
        peak_of(&ours),
        field(&ours[0], "changes"),
    );
    if let Some(python) = &python {
        let theirs = reference(
            python,
            &[
                "bench-changes",
                path_str(&release_dir("15.1"))?,
                path_str(&release_dir("18.1"))?,
            ],
        )?;
        let t = field(&theirs, "seconds");
        println!(
            "mitreattack: {t:.3} s (diff_stix, one run), peak RSS {:.0} MB, {} objects over its categories",
            field(&theirs, "peak_rss_mb"),
            field(&theirs, "changes"),
        );
        println!(
            "ratio      : {:.0}x faster, {:.1}x less peak memory",
            t / seconds,
            field(&theirs, "peak_rss_mb") / peak_of(&ours)
        );
    }
    Ok(())
}
