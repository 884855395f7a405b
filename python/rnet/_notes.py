"""Notes (PEP 678) on the mistakes every networking course sees.

An exception rnet raises keeps the stdlib's class, args, errno and message;
for the common mistakes it also carries a note (``exc.add_note``) that names
the values involved and the fix, and which Python prints under the traceback::

    ConnectionRefusedError: [Errno 111] Connection refused
    rnet: nothing listens at ('localhost', 11267): start the server first, ...

Notes are built only when an exception is raised, so calls that succeed cost
nothing more. They are off when the environment variable ``RNET_NOTES`` is
``0`` (or ``off``, ``no``, ``false``) when rnet is imported, and can be turned
on and off at run time with :func:`set_notes`. The Rust core calls the
functions here on its error paths (src/notes.rs); the Python layer calls them
from ``except`` blocks.
"""

import errno as _errno
import os
import socket as _std

__all__ = ["set_notes", "notes_enabled"]

_enabled = os.environ.get("RNET_NOTES", "1").strip().lower() not in ("0", "off", "no", "false")

PY2_HINT = "run this Python 2 program with: python -m rnet run --py2 {script}"


def set_notes(enabled):
    """set_notes(enabled) -> bool

    Turn rnet's teaching notes on (True) or off (False); return the previous
    setting. The environment variable RNET_NOTES=0 turns them off at start-up.
    """
    global _enabled
    previous, _enabled = _enabled, bool(enabled)
    return previous


def notes_enabled():
    """notes_enabled() -> bool

    Whether rnet adds its teaching notes (PEP 678) to the exceptions it raises.
    """
    return _enabled


def _add(exc, text):
    if _enabled:
        exc.add_note("rnet: " + text)


def _seconds(value):
    return f"{value:g} second" + ("" if value == 1 else "s")


# --- called by the Rust core (src/notes.rs) ---------------------------------


def send_text(exc):
    """send()/sendall()/sendto() got a str."""
    _add(exc, "sockets carry bytes; encode the text first, e.g. data.encode()")


def broadcast(exc):
    """sendto()/connect() to a broadcast address without SO_BROADCAST (EACCES)."""
    _add(exc, "broadcasting needs sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1) first")


def closed(exc):
    """A method called on a socket this program closed (EBADF)."""
    _add(
        exc,
        "this socket was closed by this program (close(), or the end of its with block) "
        "before this call; a closed socket cannot be used again",
    )


def timed_out(exc, seconds, waited_for):
    """A call gave up after the socket's timeout; ``waited_for`` is what it waited for."""
    call, what = {
        "accept": ("accept()", "no client connected"),
        "connect": ("connect()", "the server did not answer"),
        "read": ("the receive (recv/recvfrom)", "no data arrived"),
        "write": ("the send", "the other side did not take the data"),
    }[waited_for]
    _add(
        exc,
        f"{call} waited {_seconds(seconds)}, the socket's timeout, and {what}; "
        "the timeout comes from settimeout() (or setdefaulttimeout()): wait longer, "
        "or check that the other side is running and sends",
    )


# --- called by the Python layer ----------------------------------------------


def _port_of(address):
    if isinstance(address, tuple) and len(address) >= 2 and isinstance(address[1], int):
        return address[1]
    return None


def bind(sock, args, exc):
    """Notes for a failed ``sock.bind(*args)``."""
    if not _enabled:
        return
    if isinstance(exc, TypeError):
        _two_arguments("bind", args, exc)
        return
    if isinstance(exc, _std.gaierror):
        _unresolved(args[0][0] if args and isinstance(args[0], tuple) else None, exc)
        return
    address = args[0] if args else None
    number = getattr(exc, "errno", None)
    if number == _errno.EADDRINUSE:
        if sock.type == _std.SOCK_DGRAM:
            _add(
                exc,
                f"{address!r} is already taken by another socket; for two UDP listeners "
                "on one port, set sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) "
                "(or SO_REUSEPORT) on both sockets before bind()",
            )
        else:
            _add(
                exc,
                f"{address!r} is in use: another server (or a copy of this one) is running, "
                "or a connection from the last run waits in TIME_WAIT for about a minute; "
                "stop the other server, or call sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) "
                "before bind(), or wait a minute",
            )
    elif number == _errno.EACCES:
        port = _port_of(address)
        if port is not None and 0 < port < 1024:
            _add(
                exc,
                f"port {port} is below 1024, and only the administrator may bind those; "
                "use a port from 1024 up, e.g. 11267",
            )


def connect(sock, args, exc, call="connect"):
    """Notes for a failed ``sock.connect(*args)``."""
    if not _enabled:
        return
    if isinstance(exc, TypeError):
        _two_arguments(call, args, exc)
    elif isinstance(exc, _std.gaierror):
        _unresolved(args[0][0] if args and isinstance(args[0], tuple) else None, exc)
    elif isinstance(exc, ConnectionRefusedError):
        refused(args[0] if args else None, exc)
    elif getattr(exc, "errno", None) == _errno.EACCES and sock.type == _std.SOCK_DGRAM:
        try:
            off = sock.getsockopt(_std.SOL_SOCKET, _std.SO_BROADCAST) == 0
        except OSError:
            off = False
        if off:
            broadcast(exc)


def refused(address, exc):
    """ECONNREFUSED from connect()/create_connection() to ``address``."""
    # create_connection names the caller's address, not the one connect() saw.
    notes = getattr(exc, "__notes__", [])
    notes[:] = [n for n in notes if not n.startswith("rnet: nothing listens at ")]
    _add(
        exc,
        f"nothing listens at {address!r}: start the server first, "
        "and check that the server and the client use the same port",
    )


def _two_arguments(call, args, exc):
    # connect('localhost', 11267): the lecture's address is one (host, port) tuple.
    if len(args) == 2:
        _add(
            exc,
            f"the address is one argument, a (host, port) tuple: "
            f"{call}(({args[0]!r}, {args[1]!r})), with two pairs of parentheses",
        )


_NAME_ERRORS = {
    getattr(_std, n)
    for n in ("EAI_NONAME", "EAI_NODATA", "EAI_AGAIN", "EAI_FAIL")
    if hasattr(_std, n)
}


def _unresolved(host, exc):
    if not isinstance(host, str) or exc.errno not in _NAME_ERRORS:
        return
    try:
        here = _std.gethostname()
    except OSError:
        here = None
    mine = "'localhost'" + (f" and socket.gethostname() ({here!r})" if here else "")
    _add(
        exc,
        f"the name {host!r} did not resolve to an address; check its spelling "
        f"(this machine's own names are {mine})",
    )


def unresolved(exc, host):
    """gethostbyname()/gethostbyname_ex() found no address for ``host`` (from the core)."""
    lookup(host, exc)


def lookup(host, exc):
    """Notes for a failed name lookup of ``host`` (gethostbyname, getaddrinfo, ...)."""
    if _enabled and isinstance(exc, _std.gaierror):
        _unresolved(host, exc)
