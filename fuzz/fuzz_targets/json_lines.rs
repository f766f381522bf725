//! JSON lines (a Security-Datasets export) into a typed frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = huntbook_datasets::events::json_lines_to_frame(data, "fuzz.json");
});
