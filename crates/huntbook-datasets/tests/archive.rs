//! Archive extraction on archives built here: good ones, and each kind of bad one.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use huntbook_datasets::archive::{self, Kind, Limits};
use huntbook_datasets::Error;

fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    fs::write(path, common::zip_bytes(members)).unwrap();
}

fn tar_gz_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

fn names(extracted: &archive::Extracted) -> Vec<String> {
    extracted
        .files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// No `.extracting-*` folder and no target folder left behind.
fn assert_nothing_left(dir: &Path, dest: &Path) {
    assert!(!dest.exists(), "{} was created", dest.display());
    let leftovers: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".extracting-")
        })
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn zip_members_are_extracted_and_mac_metadata_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("dataset.zip");
    zip_of(
        &zip,
        &[
            ("dataset/events.json", b"{\"EventID\": 1}\n"),
            ("__MACOSX/dataset/._events.json", b"resource fork"),
            ("dataset/._events.json", b"resource fork"),
        ],
    );
    assert_eq!(archive::kind(&zip).unwrap(), Kind::Zip);
    let dest = dir.path().join("out");
    let extracted = archive::extract(&zip, &dest, &Limits::default()).unwrap();
    assert_eq!(names(&extracted), ["dataset/events.json"]);
    assert_eq!(extracted.truncated, None);
    assert_eq!(
        fs::read(dest.join("dataset/events.json")).unwrap(),
        b"{\"EventID\": 1}\n"
    );
    // A second extraction replaces the first.
    zip_of(&zip, &[("other.json", b"{}")]);
    let again = archive::extract(&zip, &dest, &Limits::default()).unwrap();
    assert_eq!(names(&again), ["other.json"]);
    assert!(!dest.join("dataset").exists());
}

#[test]
fn tar_gz_members_are_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dataset.tar.gz");
    fs::write(
        &path,
        tar_gz_of(&[("a.json", b"{}\n".to_vec()), ("sub/b.json", b"[]".to_vec())]),
    )
    .unwrap();
    assert_eq!(archive::kind(&path).unwrap(), Kind::TarGz);
    let extracted = archive::extract(&path, &dir.path().join("out"), &Limits::default()).unwrap();
    assert_eq!(names(&extracted), ["a.json", "sub/b.json"]);
    assert_eq!(extracted.paths()[1], dir.path().join("out/sub/b.json"));
}

#[test]
fn zip_slip_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("evil.zip");
    zip_of(&zip, &[("ok.json", b"{}"), ("../../escaped.json", b"{}")]);
    let dest = dir.path().join("out");
    let err = archive::extract(&zip, &dest, &Limits::default()).unwrap_err();
    assert!(matches!(err, Error::UnsafePath { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("evil.zip") && message.contains("../../escaped.json"),
        "{message}"
    );
    assert_nothing_left(dir.path(), &dest);
    assert!(!dir.path().join("escaped.json").exists());
}

#[test]
fn tar_slip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.tar.gz");
    // tar::Builder refuses `..` itself, so the name is written into the header by hand.
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..13].copy_from_slice(b"../escape.txt");
    header.set_size(2);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    tar.append(&header, &b"hi"[..]).unwrap();
    fs::write(&path, tar.into_inner().unwrap().finish().unwrap()).unwrap();
    let dest = dir.path().join("out");
    let err = archive::extract(&path, &dest, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("../escape.txt"), "{err}");
    assert_nothing_left(dir.path(), &dest);
}

#[test]
fn an_archive_expanding_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("bomb.zip");
    // 8 MB of zeros compress to a few KB.
    zip_of(&zip, &[("zeros.json", &vec![0u8; 8 << 20])]);
    assert!(fs::metadata(&zip).unwrap().len() < 100_000);
    let dest = dir.path().join("out");
    let limits = Limits {
        max_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = archive::extract(&zip, &dest, &limits).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("bomb.zip"), "{err}");
    assert_nothing_left(dir.path(), &dest);

    let limits = Limits {
        max_members: 1,
        ..Limits::default()
    };
    zip_of(&zip, &[("a", b"1"), ("b", b"2")]);
    let err = archive::extract(&zip, &dest, &limits).unwrap_err();
    assert!(err.to_string().contains("number of members"), "{err}");
}

#[test]
fn a_truncated_gzip_keeps_the_complete_members() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.tar.gz");
    // Random-looking text so that the second member is most of the compressed bytes.
    let noise: Vec<u8> = (0..400_000u32)
        .map(|i| b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26)
        .collect();
    let whole = tar_gz_of(&[
        ("first.json", b"{\"a\": 1}\n".to_vec()),
        ("second.json", noise),
    ]);
    fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let extracted = archive::extract(&path, &dir.path().join("out"), &Limits::default()).unwrap();
    assert_eq!(names(&extracted), ["first.json"]);
    let why = extracted.truncated.expect("the cut is reported");
    assert!(
        why.contains("second.json") && why.contains("1 complete member"),
        "{why}"
    );
    assert!(!dir.path().join("out/second.json").exists());
}

#[test]
fn corrupt_and_foreign_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.zip");
    fs::write(&html, "<html>rate limited</html>").unwrap();
    let err = archive::extract(&html, &dir.path().join("a"), &Limits::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("page.zip") && message.contains("<htm"),
        "{message}"
    );

    // A zip whose central directory is cut off.
    let zip = dir.path().join("cut.zip");
    zip_of(&zip, &[("a.json", &vec![b'x'; 10_000])]);
    let bytes = fs::read(&zip).unwrap();
    fs::write(&zip, &bytes[..bytes.len() - 30]).unwrap();
    let err = archive::extract(&zip, &dir.path().join("b"), &Limits::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("cut.zip") && message.contains("corrupt zip"),
        "{message}"
    );
    assert_nothing_left(dir.path(), &dir.path().join("b"));

    // A zip whose member data is damaged: the CRC check catches it.
    zip_of(&zip, &[("a.json", &vec![b'x'; 10_000])]);
    let mut bytes = fs::read(&zip).unwrap();
    for b in &mut bytes[40..60] {
        *b ^= 0x5a;
    }
    fs::write(&zip, &bytes).unwrap();
    let err = archive::extract(&zip, &dir.path().join("c"), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("cut.zip"), "{err}");
    assert_nothing_left(dir.path(), &dir.path().join("c"));
}

#[test]
fn the_mirror_archives_extract() {
    let mirror = huntbook_testkit::mirror_or_skip!();
    let root = Path::new(&mirror).join("security-datasets/master/datasets/atomic/windows");
    let dir = tempfile::tempdir().unwrap();
    for (file, member) in [
        (
            "lateral_movement/host/covenant_psremoting_command.zip",
            ".json",
        ),
        ("defense_evasion/host/empire_enable_rdp.tar.gz", ".json"),
    ] {
        let out = dir.path().join(file.replace('/', "_"));
        let extracted = archive::extract(&root.join(file), &out, &Limits::default()).unwrap();
        assert_eq!(extracted.truncated, None, "{file}");
        assert!(
            names(&extracted).iter().any(|n| n.ends_with(member)),
            "{file}: {:?}",
            extracted.files
        );
    }
}

#[test]
fn members_read_from_bytes_are_what_extraction_writes() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("dataset.zip");
    zip_of(
        &zip,
        &[
            ("dataset/events.json", b"{\"EventID\": 1}\n"),
            ("__MACOSX/dataset/._events.json", b"resource fork"),
            ("dataset/more.json", b"{}"),
        ],
    );
    let tar_gz = tar_gz_of(&[("a.json", b"{}\n".to_vec()), ("sub/b.json", b"[]".to_vec())]);
    let tar_path = dir.path().join("dataset.tar.gz");
    fs::write(&tar_path, &tar_gz).unwrap();
    for path in [&zip, &tar_path] {
        let bytes = fs::read(path).unwrap();
        let members = archive::read_members(&bytes, "dataset", &Limits::default()).unwrap();
        let extracted =
            archive::extract(path, &dir.path().join("out"), &Limits::default()).unwrap();
        assert_eq!(members.truncated, extracted.truncated);
        let on_disk: Vec<(PathBuf, Vec<u8>)> = extracted
            .files
            .iter()
            .map(|f| (f.clone(), fs::read(extracted.dir.join(f)).unwrap()))
            .collect();
        assert_eq!(members.files, on_disk, "{}", path.display());
    }
}

#[test]
fn members_from_bytes_keep_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("evil.zip");
    zip_of(&zip, &[("ok.json", b"{}"), ("../../escaped.json", b"{}")]);
    let err = archive::read_members(&fs::read(&zip).unwrap(), "evil.zip", &Limits::default())
        .unwrap_err();
    assert!(matches!(err, Error::UnsafePath { .. }), "{err}");
    assert!(err.to_string().contains("evil.zip: "), "{err}");

    zip_of(&zip, &[("zeros.json", &vec![0u8; 2 << 20])]);
    let limits = Limits {
        max_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = archive::read_members(&fs::read(&zip).unwrap(), "bomb.zip", &limits).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");

    let err = archive::read_members(b"<html>", "page.zip", &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("page.zip"), "{err}");
    let err = archive::read_members(b"PK\x03\x04 cut", "cut.zip", &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("cut.zip: corrupt zip"), "{err}");
}
