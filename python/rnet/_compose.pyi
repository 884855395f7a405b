"""Types of rnet's socket factories (rnet/_compose.py): typeshed's, returning
rnet's socket class."""

from collections.abc import Iterable
from socket import AddressFamily, SocketKind
from typing import Any, SupportsIndex

from _typeshed import ReadableBuffer, Unused

from ._rnet import _Address
from ._sock import socket

__all__ = [
    "socketpair",
    "fromfd",
    "create_connection",
    "create_server",
    "has_dualstack_ipv6",
    "send_fds",
    "recv_fds",
]

_GLOBAL_DEFAULT_TIMEOUT: object

def fromfd(
    fd: SupportsIndex, family: AddressFamily | int, type: SocketKind | int, proto: int = 0
) -> socket: ...
def send_fds(
    sock: socket,
    buffers: Iterable[ReadableBuffer],
    fds: Iterable[int],
    flags: Unused = 0,
    address: Unused = None,
) -> int: ...
def recv_fds(
    sock: socket, bufsize: int, maxfds: int, flags: int = 0
) -> tuple[bytes, list[int], int, Any]: ...
def socketpair(
    family: int | AddressFamily | None = None, type: SocketKind | int = ..., proto: int = 0
) -> tuple[socket, socket]: ...
def create_connection(
    address: tuple[str | None, bytes | str | int | None],
    timeout: float | None = ...,
    source_address: _Address | None = None,
    *,
    all_errors: bool = False,
) -> socket: ...
def has_dualstack_ipv6() -> bool: ...
def create_server(
    address: _Address,
    *,
    family: int = ...,
    backlog: int | None = None,
    reuse_port: bool = False,
    dualstack_ipv6: bool = False,
) -> socket: ...
