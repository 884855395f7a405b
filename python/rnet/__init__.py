"""rnet: CPython's ``socket`` API, call for call, on a Rust core.

``import rnet as socket`` or ``from rnet import *`` runs a socket program on
rnet unchanged. Exceptions and enums are the stdlib's own objects, so
``except socket.timeout:`` and ``except socket.gaierror:`` catch rnet's errors.

What it holds (the same names as the stdlib's socket module):

- the socket class: ``socket`` (``SocketType`` is its core), with accept,
  bind, connect, listen, recv/recvfrom/recv_into, send/sendall/sendto,
  sendmsg/recvmsg, makefile, sendfile, settimeout, setsockopt, close, ...;
- making sockets: socketpair, fromfd, create_connection, create_server,
  has_dualstack_ipv6, send_fds, recv_fds;
- lookups: gethostname, gethostbyname, gethostbyname_ex, gethostbyaddr,
  getfqdn, getaddrinfo, getnameinfo, getservbyname, getservbyport,
  getprotobyname, sethostname;
- conversions: inet_aton, inet_ntoa, inet_pton, inet_ntop, htons, ntohs,
  htonl, ntohl, if_nameindex, if_nametoindex, if_indextoname, CMSG_LEN,
  CMSG_SPACE; getdefaulttimeout, setdefaulttimeout, close, dup;
- the constants (AF_*, SOCK_*, SOL_*, SO_*, ...) and error, timeout,
  gaierror, herror.

Errors keep the stdlib's class, args and message; for the mistakes every
course sees (address in use, connection refused, a str sent, a closed socket,
a timeout, ...) they carry a note (PEP 678) naming the fix. ``set_notes(False)``
or the environment variable ``RNET_NOTES=0`` turns the notes off.

From the shell: ``python -m rnet demo`` runs the lecture's TCP server and
client on rnet; ``python -m rnet run SCRIPT [ARGS...]`` (or ``run -m MODULE``)
runs an unmodified program with its ``import socket`` giving rnet, and
``run --py2 SCRIPT`` runs the course's Python 2 slides as printed.

Seeing the exchange: ``python -m rnet run --trace SCRIPT`` prints every
socket call on stderr, ``run --trace-file T.jsonl SCRIPT`` writes it as JSON
Lines, and ``python -m rnet diagram T.jsonl... -o OUT.svg`` draws the sequence
diagram of the traced processes. From a program: ``settrace()`` /
``settrace(False)``, or ``with tracing() as t:``; the events also go to the
``logging`` logger ``rnet``.
"""

import socket as _std
from errno import EAGAIN, EBADF, EWOULDBLOCK

from . import _compose, _names, _rnet
from ._compose import *  # noqa: F403  (its __all__: socketpair, create_connection, ...)
from ._compose import (
    _GLOBAL_DEFAULT_TIMEOUT as _GLOBAL_DEFAULT_TIMEOUT,  # used by http.client and others
)
from ._notes import notes_enabled, set_notes  # noqa: F401  (rnet's own, not the stdlib's)
from ._rnet import __version__ as __version__
from ._rnet import getdefaulttimeout, setdefaulttimeout
from ._sock import SocketType, socket

# The lookups and conversions, each named once: from here they are set on the
# module, listed in __all__, and (the lookups) traced by settrace().
_LOOKUPS = (
    "gethostname",
    "sethostname",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "getfqdn",
    "getaddrinfo",
    "getnameinfo",
    "getservbyname",
    "getservbyport",
    "getprotobyname",
)
_CONVERSIONS = (
    "inet_aton",
    "inet_ntoa",
    "inet_pton",
    "inet_ntop",
    "htons",
    "ntohs",
    "htonl",
    "ntohl",
    "if_nameindex",
    "if_nametoindex",
    "if_indextoname",
    "CMSG_LEN",
    "CMSG_SPACE",
    "close",
    "dup",
    "has_ipv6",
)
# The core's (src/names/, src/convert.rs), but for the lookups Lib/socket.py
# writes in Python, which rnet does too (_names.py).
globals().update(
    {n: getattr(_names if n in _names.__all__ else _rnet, n) for n in (*_LOOKUPS, *_CONVERSIONS)}
)

# The stdlib's own classes, not look-alikes (as trio does).
SocketIO = _std.SocketIO
error = OSError
timeout = _std.timeout
gaierror = _std.gaierror
herror = _std.herror
AddressFamily = _std.AddressFamily
SocketKind = _std.SocketKind
MsgFlag = _std.MsgFlag
AddressInfo = _std.AddressInfo

_ENUMS = (("AF_", AddressFamily), ("SOCK_", SocketKind), ("MSG_", MsgFlag), ("AI_", AddressInfo))


def _constant(name, value):
    """The stdlib's enum member for a constant, where it has one of that value."""
    for prefix, enum in _ENUMS:
        if name.startswith(prefix):
            member = enum.__members__.get(name)
            if member is not None and member.value == value:
                return member
    return value


# Every plain int the core exports is a constant (AF_DECnet is not all caps).
_CONSTANTS = [n for n in dir(_rnet) if not n.startswith("_") and type(getattr(_rnet, n)) is int]
globals().update({n: _constant(n, getattr(_rnet, n)) for n in _CONSTANTS})

__all__ = [
    "socket",
    "SocketType",
    "SocketIO",
    "EAGAIN",
    "EBADF",
    "EWOULDBLOCK",
    "error",
    "timeout",
    "gaierror",
    "herror",
    "AddressFamily",
    "SocketKind",
    "MsgFlag",
    "AddressInfo",
    "getdefaulttimeout",
    "setdefaulttimeout",
    *_compose.__all__,
    *_LOOKUPS,
    *_CONVERSIONS,
    *_CONSTANTS,
]


# Tracing (rnet's own, not in __all__) is loaded on first use: its module
# brings logging, json and uuid, which would double the import time of every
# program that never traces.
_TRACING = ("gettrace", "settrace", "tracing")


def __getattr__(name):
    if name in _TRACING:
        from . import _trace

        return getattr(_trace, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_TRACING})
