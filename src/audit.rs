//! `sys.audit` events with the stdlib's names and arguments, so an audit hook
//! that watches or blocks `socket.connect` does the same for rnet.

use pyo3::call::PyCallArgs;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static AUDIT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Calls `sys.audit(*args)`, `args` being the event name and its arguments;
/// an exception raised by a hook propagates and stops the operation.
pub fn audit<'py>(py: Python<'py>, args: impl PyCallArgs<'py>) -> PyResult<()> {
    AUDIT.import(py, "sys", "audit")?.call1(args)?;
    Ok(())
}
