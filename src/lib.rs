//! `rnet._rnet`: the compiled core of rnet. This file only wires the modules
//! together; each concern lives in its own file.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

mod addr;
mod addrinfo;
mod args;
mod audit;
mod buffer;
mod constants;
mod convert;
mod error;
mod fd;
mod ffi;
mod io;
mod life;
mod local_db;
mod lookup;
// sendmmsg/recvmmsg and UDP GSO/GRO are Linux's; elsewhere the methods are absent.
#[cfg(target_os = "linux")]
mod mmsg;
mod msg;
mod names;
mod netdb;
mod notes;
mod pyver;
mod resolver;
mod services;
mod socket;
mod sockopt;
mod sys;
mod timeout;
mod wait;

/// getdefaulttimeout() -> timeout
///
/// Return the default timeout in seconds (float) for new socket objects;
/// None means new sockets block without limit.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = "()")]
fn getdefaulttimeout(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    // METH_NOARGS, with CPython's `_socket.` name in its arity message.
    args::none("getdefaulttimeout", args, kwargs)?;
    Ok(timeout::to_python(py, timeout::default_ns()))
}

/// setdefaulttimeout(timeout)
///
/// Set the default timeout in seconds (float) for new socket objects;
/// None means new sockets block without limit.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = "(timeout, /)")]
fn setdefaulttimeout(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    // METH_O, with CPython's messages.
    let timeout = args::single("setdefaulttimeout", args, kwargs)?;
    timeout::set_default_ns(timeout::parse(&timeout)?);
    Ok(())
}

#[pymodule]
fn _rnet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    resolver::init(m.py())?;
    // The package version, from Cargo.toml: the one place it is written.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<socket::Socket>()?;
    m.add_function(wrap_pyfunction!(socket::_socketpair, m)?)?;
    m.add_function(wrap_pyfunction!(life::_set_socket_class, m)?)?;
    m.add_function(wrap_pyfunction!(getdefaulttimeout, m)?)?;
    m.add_function(wrap_pyfunction!(setdefaulttimeout, m)?)?;
    constants::register(m)?;
    names::register(m)?;
    convert::register(m)?;
    #[cfg(target_os = "linux")]
    mmsg::register(m)?;
    Ok(())
}
