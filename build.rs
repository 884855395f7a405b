//! Build script: link the C runtime's unwinder, libgcc_s, into the extension.
//!
//! CPython ends a daemon thread that retakes the GIL during interpreter
//! finalization with `pthread_exit()` (cpython#87135), which glibc carries
//! out as a forced unwind through libgcc_s, calling the personality routine
//! of every frame on the way, rnet's frames included. The manylinux2014 wheel
//! is linked by zig (README), and cargo-zigbuild swaps `-lgcc_s` for zig's
//! own static libunwind: rnet's personality routine then reads libgcc_s's
//! unwind context with libunwind's layout and the process crashes (SIGSEGV)
//! at exit. Naming the system's libgcc_s.so.1 by path, which the zig wrapper
//! leaves alone, makes rnet use the same unwinder as glibc; a manylinux wheel
//! may depend on libgcc_s.so.1. A gcc-linked build links it anyway.

use std::env;
use std::path::Path;

/// Where Debian/Ubuntu, Fedora/RHEL and others keep libgcc_s.so.1.
const DIRS: [&str; 6] = [
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    // Only for the machine's own target: a cross build would find the build
    // machine's library, for the wrong architecture.
    if env::var("HOST").ok().as_deref() != Some(target.as_str()) || !target.ends_with("-linux-gnu")
    {
        return;
    }
    let triple_dir = format!("/lib/{}-linux-gnu", target.split('-').next().unwrap_or(""));
    let found = std::iter::once(triple_dir.as_str())
        .chain(DIRS)
        .map(|dir| Path::new(dir).join("libgcc_s.so.1"))
        .find(|path| path.is_file());
    if let Some(path) = found {
        println!("cargo:rustc-cdylib-link-arg={}", path.display());
    }
}
