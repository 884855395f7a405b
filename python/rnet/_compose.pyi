# Types of rnet's socket factories: typeshed's, returning rnet's socket class
# (which has the batched-datagram methods).
from socket import AddressFamily, SocketKind
from typing import Any

from ._sock import _Address, socket

def fromfd(
    fd: Any, family: AddressFamily | int, type: SocketKind | int, proto: int = 0
) -> socket: ...
def socketpair(
    family: int | AddressFamily | None = None,
    type: SocketKind | int = ...,
    proto: int = 0,
) -> tuple[socket, socket]: ...
def create_connection(
    address: tuple[str | None, int],
    timeout: float | None = ...,
    source_address: _Address | None = None,
    *,
    all_errors: bool = False,
) -> socket: ...
def create_server(
    address: _Address,
    *,
    family: int = ...,
    backlog: int | None = None,
    reuse_port: bool = False,
    dualstack_ipv6: bool = False,
) -> socket: ...
