mod common;
use huntbook_attack::*;
#[test]
fn explore() {
    let cache = tempfile::tempdir().unwrap();
    let t = std::time::Instant::now();
    let a = common::mirror_loader(cache.path(), "9.0").load().unwrap();
    eprintln!("load {:?} {:?}", t.elapsed(), a.domains());
    let df = a.techniques_frame().unwrap();
    eprintln!("{}", df.head(Some(3)));
    let ds = a.technique_data_sources(Status::Active).unwrap();
    eprintln!("{}", ds.head(Some(3)));
    for rel in ["15.1", "18.1"] {
        let a = common::mirror_loader(cache.path(), rel).load().unwrap();
        let ds = a.technique_data_sources(Status::Active).unwrap();
        eprintln!("{rel} {:?} {}", ds.shape(), ds.head(Some(3)));
        eprintln!("{}", a.tactics_frame().unwrap().head(Some(3)));
        eprintln!("pc {}", a.techniques_by_data_components(&["Process Creation"], Status::Active).len());
    }
}
