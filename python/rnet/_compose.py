"""Functions the stdlib writes in Python over its core (Lib/socket.py), here
over rnet's: socketpair, fromfd, create_connection, create_server,
has_dualstack_ipv6, send_fds and recv_fds.
"""

import array
import socket as _std
import time

from . import _notes, _rnet
from ._sock import _module

__all__ = [
    "socketpair",
    "fromfd",
    "create_connection",
    "create_server",
    "has_dualstack_ipv6",
    "send_fds",
    "recv_fds",
]

# The stdlib's own sentinel, so callers such as http.client that pass
# socket._GLOBAL_DEFAULT_TIMEOUT get the default here too.
_GLOBAL_DEFAULT_TIMEOUT = _std._GLOBAL_DEFAULT_TIMEOUT


def socketpair(family=None, type=_std.SOCK_STREAM, proto=0):
    """socketpair([family[, type[, proto]]]) -> (socket object, socket object)

    Create a pair of socket objects from the sockets returned by the platform
    socketpair() function. The arguments are the same as for socket() except
    the default family is AF_UNIX.
    """
    if family is None:
        family = _std.AF_UNIX
    a, b = _rnet._socketpair(family, type, proto)
    # Through the module's current `socket`, as Lib/socket.py does, so a
    # patched rnet.socket (pytest-socket, mocks) is what gets used.
    socket = _module().socket
    return socket(family, type, proto, a), socket(family, type, proto, b)


def fromfd(fd, family, type, proto=0):
    """fromfd(fd, family, type[, proto]) -> socket object

    Create a socket object from a duplicate of the given file descriptor. The
    remaining arguments are the same as for socket().
    """
    # The core's dup(), as CPython's: a too-large number is cut to a C int.
    return _module().socket(family, type, proto, _rnet.dup(fd))


def create_connection(
    address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None, *, all_errors=False
):
    """Connect to *address* and return the socket object.

    Like socket.create_connection: try each address getaddrinfo() gives for
    (host, port) until one connects. Better than CPython, *timeout* bounds the
    whole call, not each address, so a name with IPv6 and IPv4 addresses
    cannot take twice the timeout. With *all_errors*, failures are raised as
    an ExceptionGroup; otherwise the last error is raised.
    """
    rnet = _module()  # its getaddrinfo and socket, as patched (tracing)
    host, port = address
    # A positive timeout is shared by all addresses: the first gets all of it
    # (so it behaves exactly as CPython's), later ones what is left.
    shared = isinstance(timeout, (int, float)) and timeout > 0
    deadline = None
    exceptions = []
    for af, socktype, proto, _canonname, sa in rnet.getaddrinfo(host, port, 0, _std.SOCK_STREAM):
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            if not all_errors:
                exceptions.clear()
            exceptions.append(TimeoutError("timed out"))
            break
        sock = None
        try:
            sock = rnet.socket(af, socktype, proto)
            if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout if left is None else left)
            if shared and deadline is None:
                deadline = time.monotonic() + timeout
            if source_address:
                sock.bind(source_address)
            sock.connect(sa)
            if left is not None:
                sock.settimeout(timeout)  # the caller's timeout, not what was left
            exceptions.clear()
            return sock
        except OSError as exc:
            if not all_errors:
                exceptions.clear()
            exceptions.append(exc)
            if sock is not None:
                sock.close()
    if exceptions:
        try:
            if not all_errors:
                if isinstance(exceptions[0], ConnectionRefusedError):
                    _notes.refused(address, exceptions[0])
                raise exceptions[0]
            raise ExceptionGroup("create_connection failed", exceptions)
        finally:
            exceptions.clear()
    raise OSError("getaddrinfo returns an empty list")


def has_dualstack_ipv6():
    """Return True if the platform supports creating a SOCK_STREAM socket
    which can handle both AF_INET and AF_INET6 (IPv4 / IPv6) connections.
    """
    try:
        with _module().socket(_std.AF_INET6, _std.SOCK_STREAM) as sock:
            sock.setsockopt(_std.IPPROTO_IPV6, _std.IPV6_V6ONLY, 0)
            return True
    except OSError:
        return False


def create_server(
    address, *, family=_std.AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False
):
    """Convenience function which creates a SOCK_STREAM type socket bound to
    *address* (a 2-tuple (host, port)) and return the socket object.

    As socket.create_server: SO_REUSEADDR is set; *reuse_port* sets
    SO_REUSEPORT; *dualstack_ipv6* with family AF_INET6 accepts IPv4 too.
    """
    if dualstack_ipv6:
        if not has_dualstack_ipv6():
            raise ValueError("dualstack_ipv6 not supported on this platform")
        if family != _std.AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = _module().socket(family, _std.SOCK_STREAM)
    try:
        try:
            sock.setsockopt(_std.SOL_SOCKET, _std.SO_REUSEADDR, 1)
        except OSError:
            pass  # as CPython: a platform without it still gets a server
        if reuse_port:
            sock.setsockopt(_std.SOL_SOCKET, _std.SO_REUSEPORT, 1)
        if family == _std.AF_INET6:
            sock.setsockopt(_std.IPPROTO_IPV6, _std.IPV6_V6ONLY, 0 if dualstack_ipv6 else 1)
        try:
            sock.bind(address)
        except OSError as err:
            msg = f"{err.strerror} (while attempting to bind on address {address!r})"
            raise OSError(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except OSError:
        sock.close()
        raise


def send_fds(sock, buffers, fds, flags=0, address=None):
    """send_fds(sock, buffers, fds[, flags[, address]]) -> integer

    Send the list of file descriptors fds over an AF_UNIX socket.
    """
    # As CPython's Lib/socket.py, which passes neither flags nor address on.
    return sock.sendmsg(buffers, [(_std.SOL_SOCKET, _std.SCM_RIGHTS, array.array("i", fds))])


def recv_fds(sock, bufsize, maxfds, flags=0):
    """recv_fds(sock, bufsize, maxfds[, flags]) -> (data, list of file
    descriptors, msg_flags, address)

    Receive up to maxfds file descriptors returning the message data and a
    list containing the descriptors.
    """
    fds = array.array("i")
    msg, ancdata, flags, addr = sock.recvmsg(bufsize, _rnet.CMSG_LEN(maxfds * fds.itemsize))
    for cmsg_level, cmsg_type, cmsg_data in ancdata:
        if cmsg_level == _std.SOL_SOCKET and cmsg_type == _std.SCM_RIGHTS:
            fds.frombytes(cmsg_data[: len(cmsg_data) - (len(cmsg_data) % fds.itemsize)])
    return msg, list(fds), flags, addr
