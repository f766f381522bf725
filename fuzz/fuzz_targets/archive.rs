//! A dataset archive (zip or tar.gz) from bytes: its members, through the walk, checks and
//! limits that extraction to a folder takes.
#![no_main]

use huntbook_datasets::archive::{read_members, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_bytes: 16 << 20,
        max_members: 1_000,
    };
    if let Ok(members) = read_members(data, "fuzz.zip", &limits) {
        for (path, _) in &members.files {
            assert!(path.is_relative(), "a member escapes: {}", path.display());
        }
    }
});
