//! `getsockopt(2)` and `setsockopt(2)` with CPython's argument forms: an int,
//! raw bytes, or `None` with an explicit length.

use std::os::fd::RawFd;

use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::fd::FdGuard;
use crate::sys::syscall;
use crate::{buffer, error};

/// An integer option.
pub fn int(fd: RawFd, level: i32, option: i32) -> PyResult<i32> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid for writing.
    syscall!(getsockopt(
        fd,
        level,
        option,
        &mut value as *mut _ as *mut _,
        &mut len
    ))
    .map_err(error::from_io)?;
    Ok(value)
}

/// `getsockopt(level, option[, buflen])`: an int, or with a buflen of 1-1024
/// the option's raw bytes. `fd` is asked for after the arguments are checked.
pub fn get<'a>(
    py: Python<'_>,
    fd: impl FnOnce() -> PyResult<FdGuard<'a>>,
    level: i32,
    option: i32,
    buflen: i32,
) -> PyResult<Py<PyAny>> {
    if buflen == 0 {
        return Ok(int(fd()?.raw(), level, option)?
            .into_pyobject(py)?
            .into_any()
            .unbind());
    }
    if !(1..=1024).contains(&buflen) {
        return Err(PyOSError::new_err("getsockopt buflen out of range"));
    }
    let fd = fd()?;
    let mut buf = vec![0u8; buflen as usize];
    let mut len = buflen as libc::socklen_t;
    // SAFETY: `buf` has `len` writable bytes.
    syscall!(getsockopt(
        fd.raw(),
        level,
        option,
        buf.as_mut_ptr() as *mut _,
        &mut len
    ))
    .map_err(error::from_io)?;
    buf.truncate(len as usize);
    Ok(PyBytes::new(py, &buf).into_any().unbind())
}

/// An option value in one of CPython's three forms.
enum Value {
    Int(i32),
    Bytes(Vec<u8>),
    Null(u32),
}

impl Value {
    fn parse(value: &Bound<'_, PyAny>, optlen: Option<u32>) -> PyResult<Value> {
        if let Some(optlen) = optlen {
            if !value.is_none() {
                return Err(PyTypeError::new_err(
                    "setsockopt() takes exactly 3 arguments (4 given)",
                ));
            }
            return Ok(Value::Null(optlen));
        }
        // CPython tries the int form, then the buffer form: an int too large
        // for a C int ends in the buffer form's TypeError, as there.
        if let Ok(flag) = value.extract::<i32>() {
            return Ok(Value::Int(flag));
        }
        buffer::with_readable(value, |data| Value::Bytes(data.to_vec()))
    }
}

/// `setsockopt(level, option, value)` with an int or a bytes-like value, or
/// `setsockopt(level, option, None, optlen)`. `fd` is asked for after the
/// value is checked.
pub fn set<'a>(
    fd: impl FnOnce() -> PyResult<FdGuard<'a>>,
    level: i32,
    option: i32,
    value: &Bound<'_, PyAny>,
    optlen: Option<u32>,
) -> PyResult<()> {
    let value = Value::parse(value, optlen)?;
    let (ptr, len): (*const libc::c_void, usize) = match &value {
        Value::Int(flag) => (flag as *const i32 as *const _, std::mem::size_of::<i32>()),
        Value::Bytes(data) => (data.as_ptr() as *const _, data.len()),
        Value::Null(optlen) => (std::ptr::null(), *optlen as usize),
    };
    let fd = fd()?;
    // SAFETY: `ptr` points to `len` readable bytes (or is null with the
    // caller's explicit length), alive for the call.
    syscall!(setsockopt(
        fd.raw(),
        level,
        option,
        ptr,
        len as libc::socklen_t
    ))
    .map_err(error::from_io)?;
    Ok(())
}
