"""The lookups CPython writes in Python (``Lib/socket.py``), over rnet's core.

``getaddrinfo`` wraps ``_rnet.getaddrinfo`` to hand back the stdlib's own
``AddressFamily``/``SocketKind`` members, and ``getfqdn`` combines
``gethostname`` and ``gethostbyaddr``; both behave as the stdlib's do, down to
the ``TypeError`` of a call with missing arguments.
"""

import socket as _std

from . import _notes, _rnet
from ._sock import _intenum_converter

__all__ = ["getaddrinfo", "getfqdn"]


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """Resolve host and port into a list of address info entries.

    Each entry is a 5-tuple (family, type, proto, canonname, sockaddr) with the
    arguments needed to create a socket connected to that service. host is a
    domain name, an IPv4/v6 address as text, or None; port is a service name
    such as 'http', a port number, or None (None passes NULL to the C call).

    family, type and proto narrow the answers; zero (the default) selects all.
    """
    try:
        found = _rnet.getaddrinfo(host, port, family, type, proto, flags)
    except _std.gaierror as exc:
        _notes.lookup(host, exc)
        raise
    addrlist = []
    for af, socktype, protocol, canonname, sa in found:
        addrlist.append(
            (
                _intenum_converter(af, _std.AddressFamily),
                _intenum_converter(socktype, _std.SocketKind),
                protocol,
                canonname,
                sa,
            )
        )
    return addrlist


def getfqdn(name=""):
    """Get the fully qualified domain name of name.

    An empty name (or '0.0.0.0', or '::') means the local host. The name
    gethostbyaddr() gives is tried first, then its aliases: the first of them
    with a dot wins. When no such name is found, a name that was given comes
    back unchanged; the local host's comes back as gethostname() says it.
    """
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        name = _rnet.gethostname()
    try:
        hostname, aliases, _ = _rnet.gethostbyaddr(name)
    except OSError:
        return name
    for candidate in [hostname, *aliases]:
        if "." in candidate:
            return candidate
    return hostname
