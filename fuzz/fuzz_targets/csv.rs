//! CSV with a header row into a frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = huntbook_datasets::events::csv_to_frame(data, "fuzz.csv");
});
