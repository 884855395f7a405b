# Types of rnet's socket class: typeshed's socket.socket plus rnet's Linux
# extensions (batched datagrams).
import socket as _socket
import sys
from collections.abc import Iterable
from typing import Any, TypeAlias

from typing_extensions import Buffer

__all__ = ["socket", "SocketType"]

_Address: TypeAlias = tuple[Any, ...] | str | Buffer
_RetAddress: TypeAlias = Any

class socket(_socket.socket):
    if sys.platform == "linux":
        def sendmmsg(
            self,
            messages: Iterable[Buffer | tuple[Buffer, _Address]],
            flags: int = 0,
            /,
        ) -> int:
            """Send many datagrams with one sendmmsg(2) per 1024; return how many were sent."""
        def recvmmsg(
            self, vlen: int, bufsize: int, flags: int = 0, /
        ) -> list[tuple[bytes, _RetAddress]]:
            """Receive up to vlen (at most 1024) queued datagrams with one recvmmsg(2)."""
        def recvmmsg_into(
            self, buffers: Iterable[Buffer], flags: int = 0, /
        ) -> list[tuple[int, _RetAddress]]:
            """Like recvmmsg(), into the given writable buffers, one datagram each."""

SocketType = socket
