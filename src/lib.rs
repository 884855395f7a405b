//! `rnet._rnet`: the compiled core of rnet. This file only wires the modules
//! together, and the `_rnet` module below is the core's whole Python surface:
//! each concern lives in its own file.

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
mod _rnet {
    use pyo3::prelude::*;

    // The socket class, and what `_sock.py` (Lib/socket.py's layer) needs.
    #[pymodule_export]
    use crate::life::_set_socket_class;
    #[pymodule_export]
    use crate::socket::{_socketpair, Socket};
    #[pymodule_export]
    use crate::timeout::{getdefaulttimeout, setdefaulttimeout};

    // Name resolution (src/names/).
    #[pymodule_export]
    use crate::names::addrinfo::{getaddrinfo, getnameinfo};
    #[pymodule_export]
    use crate::names::hosts::{
        gethostbyaddr, gethostbyname, gethostbyname_ex, gethostname, sethostname,
    };
    #[pymodule_export]
    use crate::names::services::{getprotobyname, getservbyname, getservbyport};

    // Byte order, address text, interfaces, ancillary data sizes, fds.
    #[pymodule_export]
    use crate::convert::{
        close, cmsg_len, cmsg_space, dup, htonl, htons, if_indextoname, if_nameindex,
        if_nametoindex, inet_aton, inet_ntoa, inet_ntop, inet_pton, ntohl, ntohs,
    };

    /// The package version, from Cargo.toml: the one place it is written.
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    /// rnet is always built with IPv6 support.
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const has_ipv6: bool = true;

    /// UDP offload for sendmmsg/recvmmsg (mmsg.rs), rnet's own: the values of
    /// <linux/udp.h>, which the `libc` crate does not carry.
    #[pymodule_export]
    #[cfg(target_os = "linux")]
    const UDP_SEGMENT: i32 = 103;
    #[pymodule_export]
    #[cfg(target_os = "linux")]
    const UDP_GRO: i32 = 104;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        // Not declarative: the resolver asks `threading` which thread is the
        // main one, and which socket constants exist depends on the running
        // interpreter's version (pyver.rs): both are known only at import.
        crate::names::resolver::init(m.py())?;
        crate::constants::register(m)
    }
}
