//! Any bytes as a Windows event log (`.evtx`): every record that can be read, and a report
//! line for each fault, never a panic. Seeds: the evtx crate's one-chunk samples of the
//! offline mirror (fuzz/mirror-seeds/evtx_bytes), damaged ones among them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(read) = huntbook_datasets::read_evtx_bytes(data.to_vec(), "fuzz.evtx") else {
        return;
    };
    assert_eq!(read.files.len(), 1);
    assert_eq!(read.files[0].events, read.events.height());
    for fault in &read.skipped {
        assert!(!fault.reason.is_empty());
    }
    let _ = read.to_string();
});
