//! `getsockopt(2)` and `setsockopt(2)` with CPython's argument forms: an int,
//! raw bytes, or `None` with an explicit length.

use std::os::fd::RawFd;

use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::fd::FdGuard;
use crate::sys::syscall;
use crate::{args, buffer, error};

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

/// `(level, option, value)` as CPython's sock_setsockopt parses them: the
/// format `"iii"`, else `"iiO!I"` (None and a length), else `"iiy*"`, whose
/// errors are the ones raised. So a failed int form ends in the buffer
/// form's TypeError, and any four arguments that are not (int, int, None,
/// int) end in "takes exactly 3 arguments (4 given)".
fn parse(args: &Bound<'_, PyTuple>) -> PyResult<(i32, i32, Value)> {
    let item = |i| args.get_item(i);
    let ints =
        |n: usize| -> PyResult<Vec<i32>> { (0..n).map(|i| args::c_int(&item(i)?)).collect() };
    if args.len() == 3 {
        if let Ok(v) = ints(3) {
            return Ok((v[0], v[1], Value::Int(v[2])));
        }
    }
    if args.len() == 4 {
        let null_form = || -> PyResult<(i32, i32, Value)> {
            let v = ints(2)?;
            if !item(2)?.is_none() {
                return Err(PyTypeError::new_err(""));
            }
            Ok((v[0], v[1], Value::Null(args::c_uint_mask(&item(3)?)?)))
        };
        if let Ok(parsed) = null_form() {
            return Ok(parsed);
        }
    }
    if args.len() != 3 {
        return Err(PyTypeError::new_err(format!(
            "setsockopt() takes exactly 3 arguments ({} given)",
            args.len()
        )));
    }
    let v = ints(2)?;
    let data = buffer::with_readable(&item(2)?, |data| Ok(data.to_vec()))?;
    Ok((v[0], v[1], Value::Bytes(data)))
}

/// `setsockopt(level, option, value)` with an int or a bytes-like value, or
/// `setsockopt(level, option, None, optlen)`. `fd` is asked for after the
/// arguments are parsed, as CPython touches `sock_fd` only then.
pub fn set<'a>(
    fd: impl FnOnce() -> PyResult<FdGuard<'a>>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    args::method_arity("setsockopt", args, kwargs, 0, usize::MAX)?;
    let (level, option, value) = parse(args)?;
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
