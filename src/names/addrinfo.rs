//! `getaddrinfo` and `getnameinfo`: the Rust side's own lookups (addr.rs
//! resolves every host name through [`resolve`]), which run on the resolver's
//! helper thread when they may wait on the network, and the Python functions
//! with CPython's argument rules, audit events and errors. `_rnet.getaddrinfo` returns plain ints for family and type;
//! the Python layer (_names.py) turns them into the stdlib's enum members, as
//! Lib/socket.py does over `_socket.getaddrinfo`.

use std::ffi::{CStr, CString};
use std::net::{Ipv4Addr, Ipv6Addr};

use pyo3::exceptions::{PyOSError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};
use socket2::SockAddr;

use super::netdb::{self, AddrInfo, GaiFailure, Hints};
use super::{local_db, resolver};
use crate::args::{self, CInt};
use crate::{addr, audit, error};

/// `getaddrinfo(3)` through resolver.rs, so Ctrl-C can interrupt one that
/// waits on the network; failures are `socket.gaierror`.
pub fn resolve(
    py: Python<'_>,
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> PyResult<Vec<AddrInfo>> {
    resolve_max(py, host, service, hints, usize::MAX)
}

/// The first answer of `getaddrinfo(host, NULL, hints)`, if any, as
/// [`resolve`] would give it, without copying the others.
pub fn resolve_first(py: Python<'_>, host: &CStr, hints: Hints) -> PyResult<Option<AddrInfo>> {
    Ok(resolve_max(py, Some(host), None, hints, 1)?.pop())
}

fn resolve_max(
    py: Python<'_>,
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
    max: usize,
) -> PyResult<Vec<AddrInfo>> {
    let local = || host_is_local(host, hints) && service_is_local(service, hints);
    resolver::run_with(py, local, host, service, move |host, service| {
        netdb::raw_getaddrinfo(host, service, hints, max)
    })?
    .map_err(|failure| failure.into_pyerr(py))
}

/// Does getaddrinfo find `host` without the network? No host, a numeric one
/// (which it converts without asking any database), or a name the local
/// files answer for the family asked. A numeric host with AI_CANONNAME may
/// have its name looked up (glibc's `getcanonname`), so it does not count.
fn host_is_local(host: Option<&CStr>, hints: Hints) -> bool {
    let Some(host) = host else {
        return true;
    };
    if hints.flags & libc::AI_NUMERICHOST != 0 {
        return true;
    }
    if is_numeric_host(host) {
        return hints.flags & libc::AI_CANONNAME == 0;
    }
    local_db::host_name_is_local(host, hints.family)
}

/// Does getaddrinfo find `service` without the network? No service, a port
/// number, or a name when the services database is local.
fn service_is_local(service: Option<&CStr>, hints: Hints) -> bool {
    let Some(service) = service else {
        return true;
    };
    let digits = service.to_bytes();
    let numeric = !digits.is_empty() && digits.iter().all(u8::is_ascii_digit);
    numeric || hints.flags & libc::AI_NUMERICSERV != 0 || local_db::services_are_local()
}

/// An address in the standard text form (inet_pton's, stricter than glibc's
/// inet_aton, so `127.1` counts as a name: the safe side).
pub fn is_numeric_host(host: &CStr) -> bool {
    let bytes = host.to_bytes();
    // Names fail this first, cheap, test: they have letters past `f`.
    let chars = |b: &u8| b.is_ascii_hexdigit() || *b == b'.' || *b == b':';
    bytes.iter().all(chars)
        && host
            .to_str()
            .is_ok_and(|t| t.parse::<Ipv4Addr>().is_ok() || t.parse::<Ipv6Addr>().is_ok())
}

impl GaiFailure {
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        error::gai_failure(py, self.code, self.errno)
    }
}

/// getaddrinfo(host, port [, family, type, proto, flags])
///     -> list of (family, type, proto, canonname, sockaddr)
///
/// Resolve host and port into addrinfo struct.
#[pyfunction]
#[pyo3(
    signature = (host, port, family=CInt(0), r#type=CInt(0), proto=CInt(0), flags=CInt(0)),
    text_signature = "(host, port, family=0, type=0, proto=0, flags=0)"
)]
pub fn getaddrinfo<'py>(
    py: Python<'py>,
    host: &Bound<'py, PyAny>,
    port: &Bound<'py, PyAny>,
    family: CInt,
    r#type: CInt,
    proto: CInt,
    flags: CInt,
) -> PyResult<Bound<'py, PyList>> {
    // Ints only, as CPython's "OO|iiii": None is a TypeError, not zero.
    let hints = Hints {
        family: family.0,
        socktype: r#type.0,
        protocol: proto.0,
        flags: flags.0,
    };
    let c_host = host_arg(host)?;
    let c_port = port_arg(port)?;
    // One tuple passed as the only argument is the event's argument tuple
    // itself: the way to give five (audit() takes at most four).
    let event_args = (host, port, hints.family, hints.socktype, hints.protocol);
    let event_args = event_args.into_pyobject(py)?.into_any();
    audit::audit(py, c"socket.getaddrinfo", &[&event_args])?;
    let answers = resolve(py, c_host.as_deref(), c_port.as_deref(), hints)?;
    let out = PyList::empty(py);
    for ai in answers {
        let entry = (
            ai.family,
            ai.socktype,
            ai.protocol,
            ai.canonname.unwrap_or_default(),
            addr::to_python(py, &ai.addr)?,
        );
        out.append(entry)?;
    }
    Ok(out)
}

/// The host as C sees it: IDNA-encoded str or bytes, cut at a NUL.
fn host_arg(host: &Bound<'_, PyAny>) -> PyResult<Option<CString>> {
    if host.is_none() {
        Ok(None)
    } else if host.is_instance_of::<PyString>() {
        Ok(Some(args::c_truncated(args::idna_encode(host)?.as_bytes())))
    } else if let Ok(b) = host.cast::<PyBytes>() {
        Ok(Some(args::c_truncated(b.as_bytes())))
    } else {
        Err(PyTypeError::new_err(
            "getaddrinfo() argument 1 must be string or None",
        ))
    }
}

/// The port as C sees it: an exact int in decimal, str as UTF-8, bytes, or None.
fn port_arg(port: &Bound<'_, PyAny>) -> PyResult<Option<CString>> {
    if port.is_exact_instance_of::<PyInt>() {
        // From 3.12 (gh-74895) the int's decimal text, whatever its size: the
        // C library reports a port out of range (EAI_SERVICE), not OverflowError.
        let text = if crate::pyver::since(port.py(), 12) {
            port.str()?.to_str()?.to_owned()
        } else {
            args::c_long(port)?.to_string()
        };
        Ok(Some(args::c_truncated(text.as_bytes())))
    } else if let Ok(s) = port.cast::<PyString>() {
        Ok(Some(args::c_truncated(s.to_str()?.as_bytes())))
    } else if let Ok(b) = port.cast::<PyBytes>() {
        Ok(Some(args::c_truncated(b.as_bytes())))
    } else if port.is_none() {
        Ok(None)
    } else {
        Err(PyOSError::new_err("Int or String expected"))
    }
}

/// Why a `getnameinfo` failed before or in the C call.
enum NameInfoError {
    Gai(GaiFailure),
    Multiple,
    Ipv4Tuple,
}

/// getnameinfo(sockaddr, flags) --> (host, port)
///
/// Get host and port for a sockaddr.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn getnameinfo<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let given = args::varargs("getnameinfo", args, kwargs, 2, 2)?;
    let flags = args::c_int(&given[1])?;
    let sa = given[0]
        .cast::<PyTuple>()
        .map_err(|_| PyTypeError::new_err("getnameinfo() argument 1 must be a tuple"))?;
    let illegal = || PyTypeError::new_err("getnameinfo(): illegal sockaddr argument");
    if !(2..=4).contains(&sa.len()) {
        return Err(illegal());
    }
    let host = sa.get_item(0)?;
    let host = host.cast::<PyString>().map_err(|_| illegal())?.to_str()?;
    let host = CString::new(host).map_err(|_| PyValueError::new_err("embedded null character"))?;
    let port = args::c_int(&sa.get_item(1)?)?;
    let flowinfo = match sa.len() > 2 {
        true => args::c_uint_mask(&sa.get_item(2)?)?,
        false => 0,
    };
    let scope_id = match sa.len() > 3 {
        true => args::c_uint_mask(&sa.get_item(3)?)?,
        false => 0,
    };
    if flowinfo > 0xfffff {
        return Err(PyOverflowError::new_err(
            "getnameinfo(): flowinfo must be 0-1048575.",
        ));
    }
    // CPython's "(O)": the address tuple is the event's one argument, not
    // its argument tuple.
    let event_args = PyTuple::new(py, [sa])?.into_any();
    audit::audit(py, c"socket.getnameinfo", &[&event_args])?;
    let tuple_len = sa.len();
    let to_pyerr = |err| match err {
        NameInfoError::Gai(failure) => failure.into_pyerr(py),
        NameInfoError::Multiple => PyOSError::new_err("sockaddr resolved to multiple addresses"),
        NameInfoError::Ipv4Tuple => PyOSError::new_err("IPv4 sockaddr must be 2 tuple"),
    };
    // The numeric step never asks a database: it runs here, and its address
    // tells whether the name lookup can be answered locally.
    let target = py
        .detach(|| numeric_target(&host, port, flowinfo, scope_id, tuple_len))
        .map_err(to_pyerr)?;
    let inline = resolver::runs_inline(|| name_info_is_local(&target, flags));
    let (host, serv) = resolver::run(py, inline, move || netdb::raw_getnameinfo(&target, flags))?
        .map_err(|failure| to_pyerr(NameInfoError::Gai(failure)))?;
    PyTuple::new(py, [args::utf8(py, &host)?, args::utf8(py, &serv)?])
}

/// CPython's first step: the numeric host and port through `getaddrinfo`
/// (`AI_NUMERICHOST`, so no lookup), which must give one address; that
/// address, with the tuple's flowinfo and scope id, is what `getnameinfo`
/// is asked about.
fn numeric_target(
    host: &CString,
    port: i32,
    flowinfo: u32,
    scope_id: u32,
    tuple_len: usize,
) -> Result<SockAddr, NameInfoError> {
    let hints = Hints {
        family: libc::AF_UNSPEC,
        socktype: libc::SOCK_DGRAM,
        protocol: 0,
        flags: libc::AI_NUMERICHOST,
    };
    let service = CString::new(port.to_string()).unwrap_or_default();
    let found = netdb::raw_getaddrinfo(Some(host), Some(&service), hints, usize::MAX)
        .map_err(NameInfoError::Gai)?;
    let [first] = found.as_slice() else {
        return Err(NameInfoError::Multiple);
    };
    Ok(match first.family {
        libc::AF_INET if tuple_len != 2 => return Err(NameInfoError::Ipv4Tuple),
        libc::AF_INET6 => with_flow(&first.addr, flowinfo, scope_id),
        _ => first.addr.clone(),
    })
}

/// Does `getnameinfo(addr, flags)` get its answers from local files? The
/// host name is looked up unless NI_NUMERICHOST; NI_NOFQDN also looks the
/// machine's own name up (glibc's `nrl_domainname`), which may reach DNS.
fn name_info_is_local(addr: &SockAddr, flags: i32) -> bool {
    let host_local = if flags & libc::NI_NUMERICHOST != 0 {
        true
    } else if flags & libc::NI_NOFQDN != 0 {
        false
    } else if let Some(a) = addr.as_socket_ipv4() {
        local_db::host_addr_is_local(&a.ip().octets(), libc::AF_INET)
    } else if let Some(a) = addr.as_socket_ipv6() {
        local_db::host_addr_is_local(&a.ip().octets(), libc::AF_INET6)
    } else {
        false
    };
    host_local && (flags & libc::NI_NUMERICSERV != 0 || local_db::services_are_local())
}

/// `addr` (IPv6) with CPython's flowinfo (network order) and scope id set.
fn with_flow(addr: &SockAddr, flowinfo: u32, scope_id: u32) -> SockAddr {
    // SAFETY: `addr` is an AF_INET6 address, so its storage holds a
    // sockaddr_in6; the copy is read and written as one.
    unsafe {
        let mut sin6 = *(addr.as_ptr() as *const libc::sockaddr_in6);
        sin6.sin6_flowinfo = flowinfo.to_be();
        sin6.sin6_scope_id = scope_id;
        addr::copy_sockaddr(
            &sin6 as *const _ as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t,
        )
    }
}
