//! `NETEVENT_BUILD_ID`: a digest of this crate's sources, the same in the server and in the
//! browser's wasm when both were built from the same code. A page names its build; the wasm
//! compares it with its own before hydrating (`lib.rs`, `boot`).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut found = Vec::new();
    files(Path::new("src"), &mut found);
    found.sort();
    // SipHash with fixed keys: the same sources give the same id in every build of them.
    let mut digest = std::hash::DefaultHasher::new();
    for path in &found {
        path.hash(&mut digest);
        std::fs::read(path).unwrap_or_default().hash(&mut digest);
    }
    println!("cargo:rustc-env=NETEVENT_BUILD_ID={:016x}", digest.finish());
}
