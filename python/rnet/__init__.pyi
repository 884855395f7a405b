# rnet's public API is the stdlib socket module's, name for name and signature
# for signature, so its types are typeshed's: a program type-checked against
# `socket` type-checks unchanged with `import rnet as socket`. The socket
# class adds rnet's Linux extensions (batched datagrams), and the module the
# UDP offload constants the stdlib does not export.
import sys

# Before the star import: for a name bound twice in a stub, mypy keeps
# the first binding (checked with mypy 2.x: rnet.socket().recvmmsg types).
from ._compose import create_connection as create_connection
from ._compose import create_server as create_server
from ._compose import fromfd as fromfd
from ._compose import socketpair as socketpair
from ._sock import SocketType as SocketType
from ._sock import socket as socket

# isort: split
from socket import *  # noqa: F403
from socket import (
    EAGAIN as EAGAIN,
)
from socket import (
    EBADF as EBADF,
)
from socket import (
    EWOULDBLOCK as EWOULDBLOCK,
)
from socket import (
    SocketIO as SocketIO,
)

# Not the stdlib's: rnet's tracing of socket calls (python/rnet/_trace.py).
from rnet._trace import gettrace as gettrace
from rnet._trace import settrace as settrace
from rnet._trace import tracing as tracing

# rnet's own: the teaching notes' switch (python/rnet/_notes.py).
def set_notes(enabled: bool) -> bool: ...
def notes_enabled() -> bool: ...

if sys.platform == "linux":
    UDP_SEGMENT: int
    UDP_GRO: int
