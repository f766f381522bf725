//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use huntbook_attack::{AttackLoader, FetchConfig, Location};

pub use huntbook_testkit::mirror_dir;

/// Fetch settings reading the offline mirror in place, with a throw-away cache.
pub fn mirror_config(cache: &std::path::Path) -> FetchConfig {
    FetchConfig::default()
        .with_mirror(Location::from_dir(&mirror_dir()).unwrap())
        .with_cache_dir(cache)
        .with_retries(1, Duration::from_millis(10))
        .with_timeout(Duration::from_secs(20))
}

/// A loader over the mirror, pinned to `release`.
pub fn mirror_loader(cache: &std::path::Path, release: &str) -> AttackLoader {
    AttackLoader::new(mirror_config(cache)).release(release)
}

/// The Enterprise domain of `release`, loaded from the mirror.
pub fn mirror_enterprise(cache: &std::path::Path, release: &str) -> huntbook_attack::Attack {
    mirror_loader(cache, release)
        .domains([huntbook_attack::Domain::Enterprise])
        .load()
        .unwrap()
}

/// A file of the mirror.
pub fn mirror_file(relative: &str) -> PathBuf {
    mirror_dir().join(relative)
}

/// Our own small fixtures.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
