//! Address conversion between Python objects and C socket addresses, with
//! CPython's rules (`getsockaddrarg`, `setipaddr`, `makesockaddr` in
//! Modules/socketmodule.c) and its messages, word for word.

use std::ffi::{c_char, CStr, CString};
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::ptr;

use pyo3::exceptions::{PyOSError, PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString, PyTuple};
use socket2::SockAddr;

use crate::args;
use crate::buffer;
use crate::ffi;
use crate::names::addrinfo;
use crate::names::netdb::Hints;

/// A host argument as C bytes, per CPython's `idna_converter`: str (IDNA
/// encoded unless ASCII), bytes or bytearray, with no NUL inside.
pub fn host_bytes(obj: &Bound<'_, PyAny>) -> PyResult<CString> {
    let raw: Vec<u8> = if let Ok(s) = obj.cast::<PyString>() {
        // A str that is not valid Unicode (lone surrogates) cannot be
        // encoded: CPython reports it so.
        let text = s
            .to_cow()
            .map_err(|_| PyTypeError::new_err("encoding of hostname failed"))?;
        if text.is_ascii() {
            // Room for the NUL CString::new adds, so it need not reallocate.
            let mut raw = Vec::with_capacity(text.len() + 1);
            raw.extend_from_slice(text.as_bytes());
            raw
        } else {
            s.call_method1("encode", ("idna",))
                .map_err(|_| PyTypeError::new_err("encoding of hostname failed"))?
                .cast_into::<PyBytes>()?
                .as_bytes()
                .to_vec()
        }
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        b.to_vec()
    } else {
        return Err(PyTypeError::new_err(format!(
            "str, bytes or bytearray expected, not {}",
            args::tp_name(obj)
        )));
    };
    CString::new(raw).map_err(|_| PyTypeError::new_err("host name must not contain null character"))
}

/// CPython's `setipaddr`: `''` is the wildcard, `'<broadcast>'` is
/// INADDR_BROADCAST, numeric addresses skip the resolver, names take the first
/// answer of `getaddrinfo` for `family`.
pub fn resolve_host(py: Python<'_>, host: &CStr, family: i32) -> PyResult<SockAddr> {
    let bytes = host.to_bytes();
    if bytes.is_empty() {
        return match family {
            libc::AF_INET6 => Ok(v6(Ipv6Addr::UNSPECIFIED, 0, 0, 0)),
            libc::AF_INET => Ok(v4(Ipv4Addr::UNSPECIFIED, 0)),
            _ => wildcard(py, family),
        };
    }
    if bytes == b"<broadcast>" || bytes == b"255.255.255.255" {
        if family != libc::AF_INET && family != libc::AF_UNSPEC {
            return Err(PyOSError::new_err("address family mismatched"));
        }
        return Ok(v4(Ipv4Addr::BROADCAST, 0));
    }
    // Only hex digits, dots and colons can make an address: names skip the
    // parsers.
    let maybe_numeric = bytes
        .iter()
        .all(|b| b.is_ascii_hexdigit() || *b == b'.' || *b == b':');
    if let Some(text) = maybe_numeric
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
    {
        // Rust's parsers accept exactly inet_pton's forms (no "127.1", no
        // scope suffix); anything else goes to getaddrinfo as in CPython.
        if family == libc::AF_INET || family == libc::AF_UNSPEC {
            if let Ok(ip) = text.parse::<Ipv4Addr>() {
                return Ok(v4(ip, 0));
            }
        }
        if family == libc::AF_INET6 || family == libc::AF_UNSPEC {
            if let Ok(ip) = text.parse::<Ipv6Addr>() {
                return Ok(v6(ip, 0, 0, 0));
            }
        }
    }
    let hints = Hints {
        family,
        ..Hints::default()
    };
    // Only the first answer is used, so only the first is copied (as
    // CPython's setipaddr reads only res->ai_addr).
    let first = addrinfo::resolve_first(py, host, hints)?
        .ok_or_else(|| PyOSError::new_err("unknown address family"))?;
    Ok(first.addr)
}

/// CPython's wildcard for a family other than AF_INET/AF_INET6 (in practice
/// AF_UNSPEC, from `gethostbyaddr('')`): the passive answer of `getaddrinfo`,
/// which must be a single address.
fn wildcard(py: Python<'_>, family: i32) -> PyResult<SockAddr> {
    let hints = Hints {
        family,
        socktype: libc::SOCK_DGRAM,
        protocol: 0,
        flags: libc::AI_PASSIVE,
    };
    let found = addrinfo::resolve(py, None, Some(c"0"), hints)?;
    match found.as_slice() {
        [only] if matches!(only.family, libc::AF_INET | libc::AF_INET6) => Ok(only.addr.clone()),
        [_] => Err(PyOSError::new_err("unsupported address family")),
        _ => Err(PyOSError::new_err("wildcard resolved to multiple address")),
    }
}

fn v4(ip: Ipv4Addr, port: u16) -> SockAddr {
    SockAddr::from(SocketAddrV4::new(ip, port))
}

fn v6(ip: Ipv6Addr, port: u16, flowinfo: u32, scope_id: u32) -> SockAddr {
    SockAddr::from(SocketAddrV6::new(ip, port, flowinfo, scope_id))
}

/// Reads the port of an address tuple as CPython's `i` format does, turning
/// an overflow into CPython's range message.
fn port_arg(obj: &Bound<'_, PyAny>, caller: &str) -> PyResult<i64> {
    match obj.extract::<i32>() {
        Ok(port) => Ok(port as i64),
        Err(err) if err.is_instance_of::<PyOverflowError>(obj.py()) => Err(port_range(caller)),
        Err(err) => Err(err),
    }
}

fn port_range(caller: &str) -> PyErr {
    PyOverflowError::new_err(format!("{caller}(): port must be 0-65535."))
}

fn checked_port(port: i64, caller: &str) -> PyResult<u16> {
    u16::try_from(port).map_err(|_| port_range(caller))
}

/// Converts a Python address for a socket of `family` (CPython's
/// `getsockaddrarg`); `caller` names the method in error messages.
pub fn to_sockaddr(
    py: Python<'_>,
    family: i32,
    obj: &Bound<'_, PyAny>,
    caller: &str,
) -> PyResult<SockAddr> {
    match family {
        libc::AF_INET => inet_arg(py, obj, caller),
        libc::AF_INET6 => inet6_arg(py, obj, caller),
        libc::AF_UNIX => unix_arg(obj),
        libc::AF_NETLINK => netlink_arg(obj, caller),
        _ => Err(PyOSError::new_err("getsockaddrarg: bad family")),
    }
}

fn address_tuple<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    caller: &str,
    family_name: &str,
) -> PyResult<&'a Bound<'py, PyTuple>> {
    obj.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{caller}(): {family_name} address must be tuple, not {}",
            args::tp_name(obj)
        ))
    })
}

enum Host {
    Numeric(Ipv4Addr),
    Named(CString),
}

fn numeric_v4(host: &Bound<'_, PyAny>) -> Option<Ipv4Addr> {
    host.cast::<PyString>().ok()?.to_str().ok()?.parse().ok()
}

fn inet_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, caller: &str) -> PyResult<SockAddr> {
    let tuple = address_tuple(obj, caller, "AF_INET")?;
    if tuple.len() != 2 {
        return Err(PyTypeError::new_err(
            "AF_INET address must be a pair (host, port)",
        ));
    }
    let host = tuple.get_item(0)?;
    // Fast path for the common numeric host: no C string, no resolver.
    let host = match numeric_v4(&host) {
        Some(ip) => Host::Numeric(ip),
        None => Host::Named(host_bytes(&host)?),
    };
    let port = port_arg(&tuple.get_item(1)?, caller)?;
    let ip = match host {
        Host::Numeric(ip) => ip,
        Host::Named(name) => resolve_host(py, &name, libc::AF_INET)?
            .as_socket_ipv4()
            .map_or(Ipv4Addr::UNSPECIFIED, |a| *a.ip()),
    };
    let port = checked_port(port, caller)?;
    Ok(v4(ip, port))
}

fn inet6_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, caller: &str) -> PyResult<SockAddr> {
    let tuple = address_tuple(obj, caller, "AF_INET6")?;
    if !(2..=4).contains(&tuple.len()) {
        return Err(PyTypeError::new_err(
            "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])",
        ));
    }
    let host = host_bytes(&tuple.get_item(0)?)?;
    let port = port_arg(&tuple.get_item(1)?, caller)?;
    // CPython parses these with the unchecked `I` format: they wrap modulo 2**32.
    let masked = |i: usize| match tuple.get_item(i) {
        Ok(v) => args::c_uint_mask(&v),
        Err(_) => Ok(0),
    };
    let flowinfo = masked(2)?;
    let scope_id = masked(3)?;
    let resolved = resolve_host(py, &host, libc::AF_INET6)?;
    let port = checked_port(port, caller)?;
    if flowinfo > 0xfffff {
        return Err(PyOverflowError::new_err(format!(
            "{caller}(): flowinfo must be 0-1048575."
        )));
    }
    let ip = resolved
        .as_socket_ipv6()
        .map(|a| *a.ip())
        .unwrap_or(Ipv6Addr::UNSPECIFIED);
    Ok(v6(ip, port, flowinfo, scope_id))
}

/// `(pid, groups)`, both with the unchecked `I` format.
fn netlink_arg(obj: &Bound<'_, PyAny>, caller: &str) -> PyResult<SockAddr> {
    let tuple = address_tuple(obj, caller, "AF_NETLINK")?;
    if tuple.len() != 2 {
        return Err(PyTypeError::new_err(
            "AF_NETLINK address must be a pair (pid, groups)",
        ));
    }
    // SAFETY: sockaddr_nl is plain old data; zero is a valid value.
    let mut nl: libc::sockaddr_nl = unsafe { mem::zeroed() };
    nl.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    nl.nl_pid = args::c_uint_mask(&tuple.get_item(0)?)?;
    nl.nl_groups = args::c_uint_mask(&tuple.get_item(1)?)?;
    // SAFETY: `nl` is a complete sockaddr_nl.
    Ok(unsafe {
        copy_sockaddr(
            &nl as *const _ as *const libc::sockaddr,
            mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    })
}

fn unix_arg(obj: &Bound<'_, PyAny>) -> PyResult<SockAddr> {
    let path: Vec<u8> = if let Ok(s) = obj.cast::<PyString>() {
        // PEP 383: the file system encoding with surrogateescape, without an
        // import (CPython's PyUnicode_EncodeFSDefault), so it works at exit.
        args::fs_encode(s)?.as_bytes().to_vec()
    } else {
        buffer::with_readable(obj, |b| Ok(b.to_vec()))?
    };
    // SAFETY: sockaddr_un is plain old data; zero is a valid value.
    let mut sun: libc::sockaddr_un = unsafe { mem::zeroed() };
    let abstract_ns = path.is_empty() || path[0] == 0;
    let room = sun.sun_path.len();
    if path.len() > room || (!abstract_ns && path.len() == room) {
        return Err(PyOSError::new_err("AF_UNIX path too long"));
    }
    sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (dst, src) in sun.sun_path.iter_mut().zip(&path) {
        *dst = *src as libc::c_char;
    }
    let base = mem::offset_of!(libc::sockaddr_un, sun_path);
    // Abstract names are exactly their bytes; paths include the trailing NUL.
    let len = base + path.len() + usize::from(!abstract_ns);
    // SAFETY: `sun` holds `len` initialised bytes.
    Ok(unsafe {
        copy_sockaddr(
            &sun as *const _ as *const libc::sockaddr,
            len as libc::socklen_t,
        )
    })
}

/// The Python form of a C address (CPython's `makesockaddr`).
pub fn to_python<'py>(py: Python<'py>, addr: &SockAddr) -> PyResult<Bound<'py, PyAny>> {
    if addr.len() == 0 {
        return Ok(py.None().into_bound(py));
    }
    if let Some(a) = addr.as_socket_ipv4() {
        return (ipv4_str(py, *a.ip())?, a.port())
            .into_pyobject(py)
            .map(|t| t.into_any());
    }
    if let Some(a) = addr.as_socket_ipv6() {
        let host = numeric_host(addr)?;
        return (host, a.port(), a.flowinfo(), a.scope_id())
            .into_pyobject(py)
            .map(|t| t.into_any());
    }
    if addr.is_unix() {
        return unix_to_python(py, addr);
    }
    if i32::from(addr.family()) == libc::AF_NETLINK {
        // SAFETY: a netlink address is a sockaddr_nl.
        let nl = unsafe { &*(addr.as_ptr() as *const libc::sockaddr_nl) };
        return (nl.nl_pid, nl.nl_groups)
            .into_pyobject(py)
            .map(|t| t.into_any());
    }
    // SAFETY: the storage holds `len` bytes of which the family comes first.
    let raw =
        unsafe { std::slice::from_raw_parts(addr.as_ptr() as *const u8, addr.len() as usize) };
    let data = raw.get(2..).unwrap_or_default();
    (addr.family() as i32, PyBytes::new(py, data))
        .into_pyobject(py)
        .map(|t| t.into_any())
}

/// [`ipv4_text`] as an owned String (gethostbyname, inet_ntoa, …).
pub fn ipv4_string(ip: Ipv4Addr) -> String {
    let mut out = [0; 16];
    let len = ipv4_text(ip.octets(), &mut out);
    out[..len].iter().map(|&b| char::from(b)).collect()
}

/// [`ipv4_text`] as a Python str, without a UTF-8 check on the Rust side
/// (recvfrom, accept and getpeername make one per call).
fn ipv4_str(py: Python<'_>, ip: Ipv4Addr) -> PyResult<Bound<'_, PyAny>> {
    let mut out = [0; 16];
    let len = ipv4_text(ip.octets(), &mut out);
    // SAFETY: `out` holds `len` bytes of ASCII, which is UTF-8.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            pyo3::ffi::PyUnicode_FromStringAndSize(out.as_ptr().cast(), len as _),
        )
    }
}

/// Dotted-quad text, as inet_ntop writes it, without the formatting
/// machinery or a branch per digit; returns its length in `out`.
fn ipv4_text(octets: [u8; 4], out: &mut [u8; 16]) -> usize {
    let mut len = 0;
    for octet in octets {
        // Each octet writes at most three digits and a dot: 16 bytes hold
        // all four, and a leading zero digit is overwritten by the next.
        out[len & 15] = b'0' + octet / 100;
        len += usize::from(octet >= 100);
        out[len & 15] = b'0' + octet / 10 % 10;
        len += usize::from(octet >= 10);
        out[len & 15] = b'0' + octet % 10;
        out[(len + 1) & 15] = b'.';
        len += 2;
    }
    len - 1 // without the last dot
}

fn unix_to_python<'py>(py: Python<'py>, addr: &SockAddr) -> PyResult<Bound<'py, PyAny>> {
    let base = mem::offset_of!(libc::sockaddr_un, sun_path);
    // SAFETY: the storage holds `len` bytes.
    let raw =
        unsafe { std::slice::from_raw_parts(addr.as_ptr() as *const u8, addr.len() as usize) };
    let path = raw.get(base..).unwrap_or_default();
    if path.first() == Some(&0) {
        return Ok(PyBytes::new(py, path).into_any());
    }
    let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
    // As CPython's makesockaddr: no import, so a repr() in __del__ at
    // interpreter exit (sys.meta_path is None by then) still works.
    args::fs_decode(py, &path[..end])
}

/// IPv6 text as CPython prints it: `inet_ntop`, without the `%scope` suffix
/// (the scope id is the tuple's fourth item; bpo-32221).
fn numeric_host(addr: &SockAddr) -> PyResult<String> {
    let ip = addr
        .as_socket_ipv6()
        .map(|a| *a.ip())
        .ok_or_else(|| PyOSError::new_err("unsupported address family"))?;
    Ok(ipv6_text(&ip))
}

/// IPv6 text as CPython writes it (`inet_ntop`, which prints `::1.2.3.4` and
/// `::ffff:1.2.3.4` with a dotted tail where Rust's Display differs).
pub fn ipv6_text(ip: &Ipv6Addr) -> String {
    let mut buf = [0 as c_char; 46]; // INET6_ADDRSTRLEN
    let octets = ip.octets();
    // SAFETY: `octets` holds an in6_addr; `buf` is large enough for any.
    let out = unsafe {
        ffi::inet_ntop(
            libc::AF_INET6,
            octets.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    if out.is_null() {
        return ip.to_string();
    }
    // SAFETY: inet_ntop wrote a NUL-terminated string into `buf`.
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// Copies a C socket address of `len` bytes into an owned `SockAddr`.
///
/// # Safety
/// `addr` must point to at least `len` readable bytes.
pub unsafe fn copy_sockaddr(addr: *const libc::sockaddr, len: libc::socklen_t) -> SockAddr {
    let mut storage = socket2::SockAddrStorage::zeroed();
    let len = len.min(storage.size_of());
    if !addr.is_null() {
        ptr::copy_nonoverlapping(
            addr as *const u8,
            &mut storage as *mut _ as *mut u8,
            len as usize,
        );
    }
    SockAddr::new(storage, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_text_is_inet_ntop_text() {
        let mut out = [0u8; 16];
        // Every octet value in every position, and the longest text.
        let all = (0..=255u8).flat_map(|v| [[v, 0, 0, 0], [1, v, 2, v], [255, 255, 255, v]]);
        for octets in all.chain([[127, 0, 0, 1], [255; 4]]) {
            let expected = Ipv4Addr::from(octets).to_string();
            let len = ipv4_text(octets, &mut out);
            assert_eq!(&out[..len], expected.as_bytes());
            assert_eq!(ipv4_string(Ipv4Addr::from(octets)), expected);
        }
    }
}
