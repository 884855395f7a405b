# rnet's public API is the stdlib socket module's, name for name and signature
# for signature, so its types are typeshed's: a program type-checked against
# `socket` type-checks unchanged with `import rnet as socket`.
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
from socket import (
    SocketType as SocketType,
)
from socket import (
    socket as socket,
)

# rnet's own: the teaching notes' switch (python/rnet/_notes.py).
def set_notes(enabled: bool) -> bool: ...
def notes_enabled() -> bool: ...
