//! One JSON array of events (the APT29 demo's form) into a typed frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = huntbook_datasets::events::json_array_to_frame(data, "fuzz.json");
});
