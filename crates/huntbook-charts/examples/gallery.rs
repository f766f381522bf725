//! Draws one chart of each kind into a directory (default `target/gallery`), as SVG and PNG.
use huntbook_charts::{BarChart, BarOrder, StackedBarChart};
use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/gallery".into());
    std::fs::create_dir_all(&dir)?;
    let per_matrix = df!(
        "matrix" => ["mitre-attack", "mitre-ics-attack", "mitre-mobile-attack", "mitre-pre-attack"],
        "technique" => [563u32, 89, 90, 174],
    )?;
    let bar = BarChart::from_frame(&per_matrix, "matrix", "technique")?
        .horizontal()
        .color_by_category()
        .value_labels()
        .title("Techniques per matrix")
        .size(640, 260)
        .render()?;
    bar.save_svg(format!("{dir}/bar.svg"))?;
    bar.save_png(format!("{dir}/bar.png"))?;
    let tactics = df!(
        "tactic" => ["defense-evasion", "persistence", "privilege-escalation", "discovery", "execution", "collection"],
        "count" => [120u32, 98, 80, 40, 36, 30],
    )?;
    let v = BarChart::from_frame(&tactics, "tactic", "count")?
        .color_by_category()
        .value_labels()
        .sort(BarOrder::Ascending)
        .rotate_labels()
        .title("Techniques with data sources per tactic")
        .render()?;
    v.save_png(format!("{dir}/vertical.png"))?;
    let stacked = df!(
        "data_sources" => ["Windows Registry: Key Modification", "Windows Registry: Key Modification", "WMI: WMI Creation", "WMI: WMI Creation", "Windows Registry: Key Access"],
        "platform" => ["Windows", "macOS", "Windows", "Linux", "Windows"],
        "technique" => [30u32, 10, 5, 2, 8],
    )?;
    let s = StackedBarChart::from_frame(&stacked, "data_sources", "platform", "technique")?
        .normalize()
        .horizontal()
        .title("Platforms of Windows data sources")
        .size(720, 260)
        .render()?;
    s.save_png(format!("{dir}/stacked.png"))?;
    Ok(())
}
