//! The CPython version rnet runs on. One abi3 wheel serves every CPython from
//! 3.11 on, and the stdlib `socket` module changes between them (new
//! constants, `setblocking` taking any truth value in 3.12, Argument Clinic
//! messages in 3.13), so wherever CPython changed, rnet asks which interpreter
//! it was imported into and follows that one.

use std::sync::OnceLock;

use pyo3::Python;

/// True on CPython 3.`minor` or later.
pub fn since(py: Python<'_>, minor: u8) -> bool {
    // The interpreter cannot change under a loaded extension: read it once.
    static MINOR: OnceLock<u8> = OnceLock::new();
    *MINOR.get_or_init(|| py.version_info().minor) >= minor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_interpreter_is_at_least_the_abi3_floor() {
        Python::initialize();
        Python::attach(|py| {
            assert!(since(py, 11));
            assert!(!since(py, 200));
        });
    }
}
