//! Service and protocol names: `getservbyname`, `getservbyport`,
//! `getprotobyname`. The answers come from the reentrant netdb calls (see
//! netdb.rs), so any number of Python threads can ask at once and each gets
//! its own answer; resolver.rs decides on which thread they run.

use pyo3::exceptions::{PyOSError, PyOverflowError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use super::{local_db, netdb, resolver};
use crate::{args, audit};

/// getservbyname(servicename[, protocolname]) -> integer
///
/// Return a port number from a service name and protocol name.
/// The optional protocol name, if given, should be 'tcp' or 'udp',
/// otherwise any protocol will match.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn getservbyname(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<u16> {
    let given = args::varargs("getservbyname", args, kwargs, 1, 2)?;
    let name = args::c_str(&given[0], "getservbyname", 1)?;
    let proto = match given.get(1) {
        Some(p) => Some(args::c_str(p, "getservbyname", 2)?),
        None => None,
    };
    audit::audit_ss(py, c"socket.getservbyname", Some(name), proto)?;
    resolver::run_with(
        py,
        local_db::services_are_local,
        Some(name),
        proto,
        |name, proto| name.and_then(|name| netdb::service_by_name(name, proto)),
    )?
    .ok_or_else(|| PyOSError::new_err("service/proto not found"))
}

/// getservbyport(port[, protocolname]) -> string
///
/// Return the service name from a port number and protocol name.
/// The optional protocol name, if given, should be 'tcp' or 'udp',
/// otherwise any protocol will match.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn getservbyport<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let given = args::varargs("getservbyport", args, kwargs, 1, 2)?;
    let port = args::c_int(&given[0])?;
    let proto = match given.get(1) {
        Some(p) => Some(args::c_str(p, "getservbyport", 2)?),
        None => None,
    };
    let port = u16::try_from(port)
        .map_err(|_| PyOverflowError::new_err("getservbyport: port must be 0-65535."))?;
    audit::audit_is(py, c"socket.getservbyport", port.into(), proto)?;
    let name = resolver::run_with(
        py,
        local_db::services_are_local,
        None,
        proto,
        move |_, proto| netdb::service_by_port(port, proto),
    )?
    .ok_or_else(|| PyOSError::new_err("port/proto not found"))?;
    args::utf8(py, &name)
}

/// getprotobyname(name) -> integer
///
/// Return the protocol number for the named protocol.  (Rarely used.)
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = None)]
pub fn getprotobyname(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<i32> {
    let given = args::varargs("getprotobyname", args, kwargs, 1, 1)?;
    let name = args::c_str(&given[0], "getprotobyname", 1)?;
    resolver::run_with(
        py,
        local_db::protocols_are_local,
        Some(name),
        None,
        |name, _| name.and_then(netdb::protocol_by_name),
    )?
    .ok_or_else(|| PyOSError::new_err("protocol not found"))
}
