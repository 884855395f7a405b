//! Address and byte-order conversions (filled in by issue 4).

use pyo3::prelude::*;

/// Adds the conversion functions to the module `m`.
pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
