//! `rnet._rnet`: the compiled core of rnet. This file only wires the modules
//! together; each concern lives in its own file.

use pyo3::prelude::*;

mod addr;
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
// sendmmsg/recvmmsg and UDP GSO/GRO are Linux's; elsewhere the methods are absent.
#[cfg(target_os = "linux")]
mod mmsg;
mod msg;
mod names;
mod notes;
mod pyver;
mod socket;
mod sockopt;
mod sys;
mod timeout;
mod wait;

#[pymodule]
fn _rnet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    names::resolver::init(m.py())?;
    // The package version, from Cargo.toml: the one place it is written.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<socket::Socket>()?;
    m.add_function(wrap_pyfunction!(socket::_socketpair, m)?)?;
    m.add_function(wrap_pyfunction!(life::_set_socket_class, m)?)?;
    m.add_function(wrap_pyfunction!(timeout::getdefaulttimeout, m)?)?;
    m.add_function(wrap_pyfunction!(timeout::setdefaulttimeout, m)?)?;
    constants::register(m)?;
    names::register(m)?;
    convert::register(m)?;
    #[cfg(target_os = "linux")]
    mmsg::register(m)?;
    Ok(())
}
