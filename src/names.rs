//! Host, service and protocol lookups (filled in by issue 4).

use pyo3::prelude::*;

/// Adds the lookup functions to the module `m`.
pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
