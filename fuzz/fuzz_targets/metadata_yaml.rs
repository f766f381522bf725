//! A Security-Datasets metadata file (YAML) into a dataset, then the catalogue frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(dataset) = huntbook_datasets::parse_metadata(text, "fuzz.yaml") {
        let _ = dataset.technique_ids();
        let _ = dataset.tactic_ids();
        let _ = huntbook_datasets::frame_of(&[&dataset]);
    }
});
