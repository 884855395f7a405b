//! Host names: `gethostname`, `sethostname`, `gethostbyname`,
//! `gethostbyname_ex`, `gethostbyaddr`, with CPython's argument rules, audit
//! events and errors. A lookup that may wait on the network runs on the
//! resolver's helper thread, so Ctrl-C interrupts it (resolver.rs).

use std::net::{Ipv4Addr, Ipv6Addr};

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use socket2::SockAddr;

use super::netdb::{self, HostEntry};
use super::{addrinfo, local_db, resolver};
use crate::{addr, args, audit, error, notes};

/// gethostname() -> string
///
/// Return the current host name.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn gethostname<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    args::none("gethostname", args, kwargs)?;
    audit::audit(py, c"socket.gethostname", &[])?;
    let name = py
        .detach(|| {
            let mut buf = [0u8; 1024];
            // SAFETY: `buf` is writable for the length given; the last byte
            // stays NUL, as in CPython, in case the name was truncated.
            let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
            if rc < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            Ok(buf[..end].to_vec())
        })
        .map_err(error::from_io)?;
    args::fs_decode(py, &name)
}

/// sethostname(name)
///
/// Sets the hostname to name.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn sethostname(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    let given = args::varargs("sethostname", args, kwargs, 1, 1)?;
    // bytes are taken as they are (NULs included); anything else goes through
    // the file-system converter, as CPython's "S" then "O&" parse does.
    let name = match given[0].cast::<PyBytes>() {
        Ok(bytes) => bytes.clone(),
        Err(_) => PyBytes::new(py, args::fs_path(&given[0])?.as_bytes()),
    };
    audit::audit(py, c"socket.sethostname", &[name.as_any()])?;
    let data = name.as_bytes().to_vec();
    py.detach(|| {
        // SAFETY: `data` is valid for its length.
        let rc = unsafe { libc::sethostname(data.as_ptr().cast(), data.len()) };
        if rc < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(())
        }
    })
    .map_err(error::from_io)
}

/// gethostbyname(host) -> address
///
/// Return the IP address (a string of the form '255.255.255.255') for a host.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn gethostbyname(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let given = args::varargs("gethostbyname", args, kwargs, 1, 1)?;
    let name = args::c_idna(&given[0], "gethostbyname", 1)?;
    audit::audit(py, c"socket.gethostbyname", &[&given[0]])?;
    let sa = addr::resolve_host(py, &name, libc::AF_INET)
        .map_err(|err| notes::unresolved(py, err, &given[0]))?;
    Ok(addr::ipv4_string(ipv4_of(&sa)))
}

/// gethostbyname_ex(host) -> (name, aliaslist, addresslist)
///
/// Return the true host name, a list of aliases, and a list of IP addresses,
/// for a host.  The host argument is a string giving a host name or IP number.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn gethostbyname_ex<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let given = args::varargs("gethostbyname_ex", args, kwargs, 1, 1)?;
    let name = args::c_idna(&given[0], "gethostbyname_ex", 1)?;
    audit::audit(py, c"socket.gethostbyname", &[&given[0]])?;
    // CPython resolves the name once through getaddrinfo first: its errors
    // (gaierror) come before the host database's (herror).
    let sa = addr::resolve_host(py, &name, libc::AF_INET)
        .map_err(|err| notes::unresolved(py, err, &given[0]))?;
    // A numeric name never reaches the databases (glibc's digits-dots step).
    let inline = resolver::runs_inline(|| {
        addrinfo::is_numeric_host(&name) || local_db::host_name_is_local(&name, libc::AF_INET)
    });
    let entry = resolver::run(py, inline, move || netdb::host_by_name(&name))?;
    host_tuple(py, entry, i32::from(sa.family()))
}

/// gethostbyaddr(host) -> (name, aliaslist, addresslist)
///
/// Return the true host name, a list of aliases, and a list of IP addresses,
/// for a host.  The host argument is a string giving a host name or IP number.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn gethostbyaddr<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let given = args::varargs("gethostbyaddr", args, kwargs, 1, 1)?;
    let name = args::c_idna(&given[0], "gethostbyaddr", 1)?;
    audit::audit(py, c"socket.gethostbyaddr", &[&given[0]])?;
    let sa = addr::resolve_host(py, &name, libc::AF_UNSPEC)?;
    let family = i32::from(sa.family());
    let raw: Vec<u8> = if let Some(a) = sa.as_socket_ipv4() {
        a.ip().octets().to_vec()
    } else if let Some(a) = sa.as_socket_ipv6() {
        a.ip().octets().to_vec()
    } else {
        return Err(PyOSError::new_err("unsupported address family"));
    };
    let inline = resolver::runs_inline(|| local_db::host_addr_is_local(&raw, family));
    let entry = resolver::run(py, inline, move || netdb::host_by_addr(&raw, family))?;
    host_tuple(py, entry, family)
}

fn ipv4_of(sa: &SockAddr) -> Ipv4Addr {
    sa.as_socket_ipv4()
        .map(|a| *a.ip())
        .unwrap_or(Ipv4Addr::UNSPECIFIED)
}

/// CPython's `gethost_common`: `(name, aliases, addresses)`, or `herror`
/// with the lookup's `h_errno`.
fn host_tuple<'py>(
    py: Python<'py>,
    entry: Result<HostEntry, i32>,
    family: i32,
) -> PyResult<Bound<'py, PyTuple>> {
    let entry = entry.map_err(|h_errno| error::h_error(py, h_errno))?;
    if entry.family != family {
        return Err(error::os_error(libc::EAFNOSUPPORT));
    }
    let aliases = PyList::empty(py);
    for alias in &entry.aliases {
        aliases.append(args::utf8(py, alias)?)?;
    }
    let addrs = PyList::empty(py);
    for raw in &entry.addrs {
        addrs.append(address_text(raw, family)?)?;
    }
    let name = args::utf8(py, &entry.name)?;
    PyTuple::new(py, [name, aliases.into_any(), addrs.into_any()])
}

/// An address of the host database as text: dotted quad, or IPv6 the way
/// CPython prints it (`inet_ntop`, which also writes `::1.2.3.4`).
fn address_text(raw: &[u8], family: i32) -> PyResult<String> {
    match family {
        libc::AF_INET => {
            let octets: [u8; 4] = raw.try_into().unwrap_or_default();
            Ok(addr::ipv4_string(Ipv4Addr::from(octets)))
        }
        libc::AF_INET6 => {
            let octets: [u8; 16] = raw.try_into().unwrap_or_default();
            Ok(addr::ipv6_text(&Ipv6Addr::from(octets)))
        }
        _ => Err(PyOSError::new_err("unsupported address family")),
    }
}
