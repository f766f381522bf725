//! Any event file, its form sniffed from its bytes, into a frame; then the same bytes written
//! as JSON lines, the path every form takes to Spark, which must read back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(frame) = huntbook_datasets::read_event_bytes(data, "fuzz") else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("fuzz");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut lines = Vec::new();
    huntbook_datasets::write_json_lines(&[&path], &mut lines)
        .expect("a file that reads as events writes as JSON lines");
    if frame.height() > 0 {
        huntbook_datasets::events::json_lines_to_frame(&lines, "fuzz.jsonl")
            .expect("the JSON lines written read back");
    }
});
