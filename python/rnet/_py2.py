"""``python -m rnet run --py2``: the course's Python 2 slides, run as printed.

Two parts: :func:`translate` turns the script's Python 2 source into Python 3
with fissix (the maintained fork of lib2to3, which left the stdlib in 3.13;
install it with ``pip install 'rnet[py2]'``), and :func:`module` is the socket
module the translated script imports: rnet, with sockets that have Python 2's
string semantics. In Python 2 ``str`` is bytes, so the slides send a ``str``
and print what ``recv`` returns; here ``send``/``sendall``/``sendto`` take a
``str`` and ``recv``/``recvfrom`` return one, Latin-1 both ways (every byte is
one character and back, as in Python 2).
"""

import io
import tokenize
import types

import rnet

__all__ = ["translate", "module"]

ENCODING = "latin-1"


def _tool():
    try:
        from fissix import refactor
    except ImportError as exc:
        raise ImportError(
            "--py2 needs fissix, the Python 2 to 3 translator: pip install 'rnet[py2]'"
        ) from exc
    fixers = refactor.get_fixers_from_package("fissix.fixes")
    return refactor.RefactoringTool(fixers)


def translate(source, path="<string>"):
    """The Python 3 text of Python 2 ``source`` (bytes or str) from the file ``path``.

    A Python 2 syntax error is raised as SyntaxError on the student's line.
    """
    if isinstance(source, bytes):
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        source = source.decode(encoding)
    if not source.endswith("\n"):
        source += "\n"
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    try:
        tree = _tool().refactor_string(source, path)
    except ParseError as exc:
        lineno, column = exc.context[1]
        line = source.splitlines()[lineno - 1] if 0 < lineno <= source.count("\n") else None
        raise SyntaxError("invalid syntax", (path, lineno, column + 1, line)) from None
    except TokenError as exc:
        lineno, column = exc.args[1]
        raise SyntaxError(exc.args[0], (path, lineno, column + 1, None)) from None
    return str(tree)


def _bytes(data):
    return data.encode(ENCODING) if isinstance(data, str) else data


class socket(rnet.socket):
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) -> socket object

    An rnet socket with Python 2's strings: send(), sendall() and sendto()
    take str (or bytes), recv() and recvfrom() return str; Latin-1 both ways.
    """

    __slots__ = ()
    __module__ = "rnet"

    def send(self, data, *args):
        """send(data[, flags]) -> count; data may be a str, sent as Latin-1."""
        return super().send(_bytes(data), *args)

    def sendall(self, data, *args):
        """sendall(data[, flags]); data may be a str, sent as Latin-1."""
        return super().sendall(_bytes(data), *args)

    def sendto(self, data, *args):
        """sendto(data[, flags], address) -> count; data may be a str, sent as Latin-1."""
        return super().sendto(_bytes(data), *args)

    def recv(self, *args):
        """recv(buffersize[, flags]) -> str, the bytes read as Latin-1."""
        return super().recv(*args).decode(ENCODING)

    def recvfrom(self, *args):
        """recvfrom(buffersize[, flags]) -> (str, address info)."""
        data, address = super().recvfrom(*args)
        return data.decode(ENCODING), address

    def accept(self):
        """accept() -> (socket object, address info), the new socket with Python 2 strings."""
        sock, address = super().accept()
        return _adopt(sock), address


def _adopt(sock):
    """The same open socket as an instance of the Python 2 flavoured class."""
    timeout = sock.gettimeout()
    new = socket(sock.family, sock.type, sock.proto, fileno=sock.detach())
    new.settimeout(timeout)
    return new


def _create_connection(*args, **kwargs):
    return _adopt(rnet.create_connection(*args, **kwargs))


def _create_server(*args, **kwargs):
    return _adopt(rnet.create_server(*args, **kwargs))


def _socketpair(*args, **kwargs):
    return tuple(_adopt(s) for s in rnet.socketpair(*args, **kwargs))


def _fromfd(*args, **kwargs):
    return _adopt(rnet.fromfd(*args, **kwargs))


for _f, _real in (
    (_create_connection, rnet.create_connection),
    (_create_server, rnet.create_server),
    (_socketpair, rnet.socketpair),
    (_fromfd, rnet.fromfd),
):
    _f.__name__ = _f.__qualname__ = _real.__name__
    _f.__doc__ = _real.__doc__

_module = None


def module():
    """rnet as a module object whose sockets have Python 2's strings."""
    global _module
    if _module is None:
        m = types.ModuleType("rnet", rnet.__doc__)
        m.__dict__.update({k: v for k, v in vars(rnet).items() if not k.startswith("__")})
        m.__all__ = list(rnet.__all__)
        m.socket = socket
        m.create_connection = _create_connection
        m.create_server = _create_server
        m.socketpair = _socketpair
        m.fromfd = _fromfd
        _module = m
    return _module
