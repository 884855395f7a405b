//! Address and byte-order conversions and fd helpers: `inet_aton`,
//! `inet_ntoa`, `inet_pton`, `inet_ntop`, `htons`/`ntohs`/`htonl`/`ntohl`,
//! the interface index functions, `CMSG_LEN`/`CMSG_SPACE`, `close`, `dup`,
//! `has_ipv6`. Text parsing is libc's own (`inet_aton` accepts "127.1" and
//! "0x7f.1" exactly as glibc does), and every message is CPython's.

use std::ffi::{c_char, CStr};
use std::net::{Ipv4Addr, Ipv6Addr};

use pyo3::exceptions::{PyOSError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyTuple};

use crate::{addr, args, buffer, error, ffi, pyver};

/// The one argument of a function CPython 3.13 moved from `PyArg_ParseTuple`
/// to Argument Clinic's `METH_O`, whose arity messages name `_socket.f()`.
fn one_arg<'py>(
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    if pyver::since(args.py(), 13) {
        return args::single(name, args, kwargs);
    }
    let given = args::varargs(name, args, kwargs, 1, 1)?;
    Ok(given.into_first().expect("argument count checked"))
}

/// The 16-bit swaps (`i` format up to 3.12, Argument Clinic's `int` from
/// 3.13, then CPython's own range messages).
fn short_swap(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<u16> {
    let arg = one_arg(name, args, kwargs)?;
    let x = if pyver::since(args.py(), 13) {
        arg.extract::<args::AsInt>()?.0
    } else {
        args::c_int(&arg)?
    };
    if x < 0 {
        return Err(PyOverflowError::new_err(format!(
            "{name}: can't convert negative Python int to C 16-bit unsigned integer"
        )));
    }
    let x = u16::try_from(x).map_err(|_| {
        PyOverflowError::new_err(format!(
            "{name}: Python int too large to convert to C 16-bit unsigned integer"
        ))
    })?;
    Ok(x)
}

/// ntohs(integer) -> integer
///
/// Convert a 16-bit unsigned integer from network to host byte order.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn ntohs(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<u16> {
    short_swap("ntohs", args, kwargs).map(u16::from_be)
}

/// htons(integer) -> integer
///
/// Convert a 16-bit unsigned integer from host to network byte order.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn htons(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<u16> {
    short_swap("htons", args, kwargs).map(u16::to_be)
}

/// The 32-bit swaps: an int (no `__index__`) that fits 32 bits.
fn long_arg(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<u32> {
    let arg = args::single(name, args, kwargs)?;
    if !arg.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "expected int, {} found",
            args::tp_name(&arg)
        )));
    }
    let x = args::c_ulong(&arg)?;
    u32::try_from(x).map_err(|_| PyOverflowError::new_err("int larger than 32 bits"))
}

/// ntohl(integer) -> integer
///
/// Convert a 32-bit integer from network to host byte order.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn ntohl(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<u32> {
    long_arg("ntohl", args, kwargs).map(u32::from_be)
}

/// htonl(integer) -> integer
///
/// Convert a 32-bit integer from host to network byte order.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn htonl(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<u32> {
    long_arg("htonl", args, kwargs).map(u32::to_be)
}

/// inet_aton(string) -> bytes giving packed 32-bit IP representation
///
/// Convert an IP address in string format (123.45.67.89) to the 32-bit packed
/// binary format used in low-level network functions.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn inet_aton<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let arg = one_arg("inet_aton", args, kwargs)?;
    // Argument Clinic (3.13) names no position for a function's only argument.
    let pos = if pyver::since(py, 13) { 0 } else { 1 };
    let text = args::c_str(&arg, "inet_aton", pos)?;
    let mut out = libc::in_addr { s_addr: 0 };
    // SAFETY: `text` is NUL-terminated; `out` is writable.
    if unsafe { ffi::inet_aton(text.as_ptr(), &mut out) } == 0 {
        return Err(PyOSError::new_err(
            "illegal IP address string passed to inet_aton",
        ));
    }
    Ok(PyBytes::new(py, &out.s_addr.to_ne_bytes()))
}

/// inet_ntoa(packed_ip) -> ip_address_string
///
/// Convert an IP address from 32-bit packed binary format to string format.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn inet_ntoa(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let arg = one_arg("inet_ntoa", args, kwargs)?;
    let packed = buffer::with_bytes_like(&arg, |b| {
        <[u8; 4]>::try_from(b)
            .map_err(|_| PyOSError::new_err("packed IP wrong length for inet_ntoa"))
    })?;
    Ok(addr::ipv4_string(Ipv4Addr::from(packed)))
}

/// inet_pton(af, ip) -> packed IP address string
///
/// Convert an IP address from string format to a packed string suitable
/// for use with low-level network functions.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn inet_pton<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let given = args::varargs("inet_pton", args, kwargs, 2, 2)?;
    let af = args::c_int(&given[0])?;
    let text = args::c_str(&given[1], "inet_pton", 2)?;
    let mut packed = [0u8; 16];
    // SAFETY: `text` is NUL-terminated; `packed` fits an in6_addr.
    let rc = unsafe { ffi::inet_pton(af, text.as_ptr(), packed.as_mut_ptr().cast()) };
    match (rc, af) {
        (rc, _) if rc < 0 => Err(error::last_os_error()),
        (0, _) => Err(PyOSError::new_err(
            "illegal IP address string passed to inet_pton",
        )),
        (_, libc::AF_INET) => Ok(PyBytes::new(py, &packed[..4])),
        (_, libc::AF_INET6) => Ok(PyBytes::new(py, &packed)),
        _ => Err(PyOSError::new_err("unknown address family")),
    }
}

/// inet_ntop(af, packed_ip) -> string formatted IP address
///
/// Convert a packed IP address of the given family to string format.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn inet_ntop(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let given = args::varargs("inet_ntop", args, kwargs, 2, 2)?;
    let af = args::c_int(&given[0])?;
    buffer::with_bytes_like(&given[1], |packed| {
        match af {
            libc::AF_INET => {
                <[u8; 4]>::try_from(packed).map(|a| addr::ipv4_string(Ipv4Addr::from(a)))
            }
            libc::AF_INET6 => {
                <[u8; 16]>::try_from(packed).map(|a| addr::ipv6_text(&Ipv6Addr::from(a)))
            }
            _ => Ok(String::new()),
        }
        .map_err(|_| PyValueError::new_err("invalid length of packed IP address string"))
    })
    .and_then(|text| match af {
        libc::AF_INET | libc::AF_INET6 => Ok(text),
        _ => Err(PyValueError::new_err(format!(
            "unknown address family {af}"
        ))),
    })
}

/// if_nameindex()
///
/// Returns a list of network interface information (index, name) tuples.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn if_nameindex<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    args::none("if_nameindex", args, kwargs)?;
    // SAFETY: if_nameindex returns NULL (errno set) or an array that ends
    // with a zero index, freed once below.
    let list = unsafe { libc::if_nameindex() };
    if list.is_null() {
        return Err(error::last_os_error());
    }
    let out = PyList::empty(py);
    let mut result = Ok(());
    let mut cur = list;
    // SAFETY: walks the array up to its terminator; names are NUL-terminated.
    unsafe {
        while (*cur).if_index != 0 {
            let name = CStr::from_ptr((*cur).if_name).to_bytes();
            result = args::fs_decode(py, name).and_then(|name| out.append(((*cur).if_index, name)));
            if result.is_err() {
                break;
            }
            cur = cur.add(1);
        }
        libc::if_freenameindex(list);
    }
    result.map(|()| out)
}

/// if_nametoindex(if_name)
///
/// Returns the interface index corresponding to the interface name if_name.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn if_nametoindex(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<u32> {
    let arg = one_arg("if_nametoindex", args, kwargs)?;
    let name = args::fs_path(&arg)?;
    // SAFETY: `name` is NUL-terminated.
    match unsafe { libc::if_nametoindex(name.as_ptr()) } {
        0 => Err(PyOSError::new_err("no interface with this name")),
        index => Ok(index),
    }
}

/// if_indextoname(if_index)
///
/// Returns the interface name corresponding to the interface index if_index.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn if_indextoname<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let arg = args::single("if_indextoname", args, kwargs)?;
    if !arg.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err("an integer is required"));
    }
    let index = args::c_ulong(&arg)?;
    // 3.13's converter (_PyLong_NetIfindex_Converter) checks the range of
    // unsigned int; before, the value was cut to one, and 2**64-1 (the error
    // value of PyLong_AsUnsignedLong) returned NULL without an exception.
    if pyver::since(py, 13) && u32::try_from(index).is_err() {
        return Err(PyOverflowError::new_err("index is too large"));
    }
    if index == std::ffi::c_ulong::MAX {
        return Err(args::null_without_error("if_indextoname"));
    }
    let mut name = [0 as c_char; libc::IF_NAMESIZE + 1];
    // CPython passes the index on as a C unsigned int: larger values wrap.
    // SAFETY: `name` has room for IF_NAMESIZE bytes.
    if unsafe { libc::if_indextoname(index as u32, name.as_mut_ptr()) }.is_null() {
        return Err(error::last_os_error());
    }
    // SAFETY: if_indextoname wrote a NUL-terminated name.
    args::fs_decode(py, unsafe { CStr::from_ptr(name.as_ptr()) }.to_bytes())
}

/// CPython's limit for ancillary lengths: the smaller of 2**31-1 and INT_MAX.
const SOCKLEN_T_LIMIT: usize = i32::MAX as usize;

fn cmsg_arg(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<usize> {
    let given = args::varargs(name, args, kwargs, 1, 1)?;
    let length = args::c_ssize(&given[0])?;
    usize::try_from(length)
        .map_err(|_| PyOverflowError::new_err(format!("{name}() argument out of range")))
}

fn cmsg_range(name: &str) -> PyErr {
    PyOverflowError::new_err(format!("{name}() argument out of range"))
}

/// CMSG_LEN(length) -> control message length
///
/// Return the total length, without trailing padding, of an ancillary
/// data item with associated data of the given length.  This value can
/// often be used as the buffer size for recvmsg() to receive a single
/// item of ancillary data, but RFC 3542 requires portable applications to
/// use CMSG_SPACE() and thus include space for padding, even when the
/// item will be the last in the buffer.  Raises OverflowError if length
/// is outside the permissible range of values.
#[pyfunction]
#[pyo3(name = "CMSG_LEN", signature = (*args, **kwargs), text_signature = None)]
pub fn cmsg_len(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<usize> {
    let length = cmsg_arg("CMSG_LEN", args, kwargs)?;
    // SAFETY: CMSG_LEN only computes a size.
    let header = unsafe { libc::CMSG_LEN(0) } as usize;
    if length > SOCKLEN_T_LIMIT - header {
        return Err(cmsg_range("CMSG_LEN"));
    }
    // SAFETY: as above; `length` fits a c_uint after the check.
    Ok(unsafe { libc::CMSG_LEN(length as libc::c_uint) } as usize)
}

/// CMSG_SPACE(length) -> buffer size
///
/// Return the buffer size needed for recvmsg() to receive an ancillary
/// data item with associated data of the given length, along with any
/// trailing padding.  The buffer space needed to receive multiple items
/// is the sum of the CMSG_SPACE() values for their associated data
/// lengths.  Raises OverflowError if length is outside the permissible
/// range of values.
#[pyfunction]
#[pyo3(name = "CMSG_SPACE", signature = (*args, **kwargs), text_signature = None)]
pub fn cmsg_space(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<usize> {
    let length = cmsg_arg("CMSG_SPACE", args, kwargs)?;
    // CMSG_SPACE(1) counts the padding before and after the data.
    // SAFETY: CMSG_SPACE only computes a size.
    let overhead = unsafe { libc::CMSG_SPACE(1) } as usize;
    if length > SOCKLEN_T_LIMIT - overhead {
        return Err(cmsg_range("CMSG_SPACE"));
    }
    // SAFETY: as above; `length` fits a c_uint after the check.
    let space = unsafe { libc::CMSG_SPACE(length as libc::c_uint) } as usize;
    if space > SOCKLEN_T_LIMIT {
        return Err(cmsg_range("CMSG_SPACE"));
    }
    Ok(space)
}

/// An fd argument as CPython reads it: a C long, then cut to a C int.
fn fd_arg(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<i32> {
    let arg = args::single(name, args, kwargs)?;
    Ok(args::c_long(&arg)? as i32)
}

/// close(integer) -> None
///
/// Close an integer socket file descriptor.  This is like os.close(), but for
/// sockets; on some platforms os.close() won't work for socket file descriptors.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn close(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    let fd = fd_arg("close", args, kwargs)?;
    // SAFETY: closing an fd the caller names is what this function is for.
    let rc = py.detach(|| match unsafe { libc::close(fd) } {
        0 => 0,
        _ => std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
    });
    // The peer may already have reset the connection (bpo-30319).
    match rc {
        0 | libc::ECONNRESET => Ok(()),
        errno => Err(error::os_error(errno)),
    }
}

/// dup(integer) -> integer
///
/// Duplicate an integer socket file descriptor.  This is like os.dup(), but for
/// sockets; on some platforms os.dup() won't work for socket file descriptors.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn dup(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<i32> {
    let fd = fd_arg("dup", args, kwargs)?;
    // PEP 446: the new fd is not inherited by child processes. The GIL stays
    // held (the call never blocks): `socket.dup()` passes `self.fileno()`,
    // and a close() in another thread, which needs the GIL, must not give
    // that number to a new socket before it is duplicated.
    // SAFETY: F_DUPFD_CLOEXEC only creates a new fd.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if new < 0 {
        return Err(error::last_os_error());
    }
    Ok(new)
}
