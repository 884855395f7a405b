//! Socket timeouts as CPython parses and stores them (`socket_parse_timeout`):
//! nanoseconds, rounded up, with a negative value meaning `None`; and the
//! module-wide default, `getdefaulttimeout`/`setdefaulttimeout`.

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::time::Duration;

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyTuple};

/// `None`: block without limit.
pub const NONE: i64 = -1;

/// The module-wide default for new sockets (`setdefaulttimeout`).
static DEFAULT_NS: AtomicI64 = AtomicI64::new(NONE);

pub fn default_ns() -> i64 {
    DEFAULT_NS.load(Relaxed)
}

pub fn set_default_ns(ns: i64) {
    DEFAULT_NS.store(ns, Relaxed);
}

pub fn from_nanos(ns: i64) -> Option<Duration> {
    u64::try_from(ns).ok().map(Duration::from_nanos)
}

/// The Python value of a stored timeout: `None` or seconds as a float.
pub fn to_python(py: Python<'_>, ns: i64) -> Py<PyAny> {
    match from_nanos(ns) {
        None => py.None(),
        Some(d) => PyFloat::new(py, d.as_secs_f64()).into_any().unbind(),
    }
}

fn too_large(py: Python<'_>) -> PyErr {
    // 3.13 made the type public (PEP 741's PyTime_t) and the message followed.
    let ty = if crate::pyver::since(py, 13) {
        "PyTime_t"
    } else {
        "_PyTime_t"
    };
    PyOverflowError::new_err(format!("timestamp too large to convert to C {ty}"))
}

/// Parses `None`, an int or a float of seconds, with CPython's errors.
pub fn parse(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if obj.is_none() {
        return Ok(NONE);
    }
    let ns = if let Ok(f) = obj.cast::<PyFloat>() {
        let secs = f.value();
        if secs.is_nan() {
            return Err(PyValueError::new_err("Invalid value NaN (not a number)"));
        }
        // _PyTime_ROUND_TIMEOUT rounds away from zero, so a tiny positive
        // timeout never becomes non-blocking mode.
        let ns = (secs * 1e9).abs().ceil().copysign(secs);
        if !(ns >= i64::MIN as f64 && ns < i64::MAX as f64) {
            return Err(PyOverflowError::new_err(
                "timestamp out of range for platform time_t",
            ));
        }
        ns as i64
    } else {
        let secs = obj.extract::<i64>().map_err(|err| {
            if err.is_instance_of::<PyOverflowError>(obj.py()) {
                too_large(obj.py())
            } else {
                err
            }
        })?;
        secs.checked_mul(1_000_000_000)
            .ok_or_else(|| too_large(obj.py()))?
    };
    if ns < 0 {
        return Err(PyValueError::new_err("Timeout value out of range"));
    }
    Ok(ns)
}

/// getdefaulttimeout() -> timeout
///
/// Return the default timeout in seconds (float) for new socket objects;
/// None means new sockets block without limit.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = "()")]
pub fn getdefaulttimeout(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    // METH_NOARGS, with CPython's `_socket.` name in its arity message.
    crate::args::none("getdefaulttimeout", args, kwargs)?;
    Ok(to_python(py, default_ns()))
}

/// setdefaulttimeout(timeout)
///
/// Set the default timeout in seconds (float) for new socket objects;
/// None means new sockets block without limit.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = "(timeout, /)")]
pub fn setdefaulttimeout(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    // METH_O, with CPython's messages.
    let timeout = crate::args::single("setdefaulttimeout", args, kwargs)?;
    set_default_ns(parse(&timeout)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(expr: &str) -> PyResult<i64> {
        Python::initialize();
        Python::attach(|py| {
            let code = std::ffi::CString::new(expr).unwrap();
            parse(&py.eval(&code, None, None)?)
        })
    }

    #[test]
    fn a_tiny_timeout_rounds_up_and_never_means_non_blocking() {
        assert_eq!(parsed("1e-12").unwrap(), 1);
        assert_eq!(parsed("0.0").unwrap(), 0);
        assert_eq!(parsed("2").unwrap(), 2_000_000_000);
        assert_eq!(parsed("None").unwrap(), NONE);
    }

    #[test]
    fn negative_nan_and_huge_timeouts_are_cpythons_errors() {
        Python::initialize();
        Python::attach(|py| {
            let msg = |expr: &str| parsed(expr).unwrap_err().value(py).to_string();
            assert_eq!(msg("-1"), "Timeout value out of range");
            assert_eq!(msg("float('nan')"), "Invalid value NaN (not a number)");
            assert!(msg("2**70").starts_with("timestamp too large to convert to C "));
        });
    }
}
