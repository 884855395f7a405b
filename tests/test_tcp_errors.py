"""Bad input and failing calls: rnet raises what the stdlib raises.

Each case runs on `socket` and on `rnet` and compares the exception class,
errno, message and args (see diff.py).
"""

import errno
import socket

import pytest

from diff import same
from helpers import LOCAL_NAME


def on_socket(call, family=socket.AF_INET, kind=socket.SOCK_STREAM):
    """A body that opens a socket of `mod`, applies `call`, and closes it."""

    def body(mod):
        with mod.socket(family, kind) as s:
            return call(s)

    return body


BAD_ADDRESSES = [
    "127.0.0.1",
    ["127.0.0.1", 0],
    ("127.0.0.1",),
    ("127.0.0.1", 0, 0),
    (1, 0),
    (None, 0),
    ("a\0b", 0),
    (b"a\0b", 0),
    ("127.0.0.1", -1),
    ("127.0.0.1", 65536),
    ("127.0.0.1", 2**31),
    ("127.0.0.1", 2**63),
    ("127.0.0.1", 2**70),
    ("127.0.0.1", -(2**70)),
    ("127.0.0.1", "80"),
    ("127.0.0.1", 1.5),
    ("127.0.0.1", None),
    ("<broadcast>", 2**70),
]


@pytest.mark.parametrize("address", BAD_ADDRESSES, ids=repr)
@pytest.mark.parametrize("method", ["bind", "connect", "connect_ex"])
def test_bad_inet_address(method, address):
    same(on_socket(lambda s: getattr(s, method)(address)))


@pytest.mark.parametrize(
    "address",
    ["::1", ("::1",), ("::1", 0, 0, 0, 0), ("::1", 70000), ("::1", 0, 2**20), ("::1", 0, -1)],
    ids=repr,
)
def test_bad_inet6_address(address):
    same(on_socket(lambda s: s.bind(address), family=socket.AF_INET6))


@pytest.mark.parametrize(
    "host", ["127.0.0.1", b"127.0.0.1", bytearray(b"127.0.0.1"), "localhost", "", LOCAL_NAME]
)
def test_good_hosts_bind(host):
    def body(mod):
        with mod.socket() as s:
            s.bind((host, 0))
            return s.getsockname()[0]

    same(body)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.send("text"),
        lambda s: s.send(1),
        lambda s: s.sendall(None),
        lambda s: s.sendall("text"),
        lambda s: s.recv(-1),
        lambda s: s.recv("1"),
        lambda s: s.recv(1.0),
        lambda s: s.recv_into(b"abc"),
        lambda s: s.recv_into(bytearray(2), 5),
        lambda s: s.recv_into(bytearray(2), -1),
        lambda s: s.recv_into("abc"),
        lambda s: s.settimeout(-1),
        lambda s: s.settimeout("1"),
        lambda s: s.settimeout(float("nan")),
        lambda s: s.settimeout(1e10),
        lambda s: s.settimeout(2**70),
        lambda s: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 2000),
        lambda s: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, -1),
        lambda s: s.getsockopt(socket.SOL_SOCKET, 9999),
        lambda s: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, "1"),
        lambda s: s.setsockopt(socket.SOL_SOCKET, 9999, 1),
        lambda s: s.shutdown(99),
        lambda s: s.shutdown(socket.SHUT_RDWR),
        lambda s: s.getpeername(),
        lambda s: s.recv(1),
        lambda s: s.send(b"x"),
        lambda s: s.listen(-5),
    ],
)
def test_bad_calls(call):
    same(on_socket(call))


def test_calls_on_closed_socket():
    def body(mod):
        s = mod.socket()
        s.close()
        s.close()  # twice is harmless
        results = [s.fileno()]
        for call in (
            lambda: s.recv(1),
            lambda: s.send(b"x"),
            lambda: s.bind(("127.0.0.1", 0)),
            lambda: s.listen(),
            lambda: s.getsockname(),
            lambda: s.settimeout(1),
            lambda: s.accept(),
        ):
            try:
                call()
                results.append("ok")
            except OSError as exc:
                results.append((type(exc).__name__, exc.errno, str(exc)))
        return results

    result = same(body)
    assert result[1][1][1] == errno.EBADF


@pytest.mark.parametrize(
    "args",
    [(), (socket.AF_INET,), (socket.AF_INET6, socket.SOCK_STREAM), (12345,), (socket.AF_INET, 999)],
    ids=repr,
)
def test_constructor(args):
    def body(mod):
        with mod.socket(*args) as s:
            return (int(s.family), int(s.type), s.proto, s.gettimeout(), s.get_inheritable())

    same(body)


@pytest.mark.parametrize("value", ["x", 1.5, -1, 2**40])
def test_constructor_bad_fileno(value):
    same(lambda mod: mod.socket(fileno=value).close())


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connect is refused
        result = same(on_socket(lambda s: s.connect(("127.0.0.1", port))))
        assert result[1] == "ConnectionRefusedError"
        assert result[3] == "[Errno 111] Connection refused"
        assert same(on_socket(lambda s: s.connect_ex(("127.0.0.1", port)))) == (
            "ok",
            errno.ECONNREFUSED,
        )


@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM])
def test_sendall_of_nothing_on_an_unconnected_socket_fails(kind):
    def body(mod):
        with mod.socket(socket.AF_INET, kind) as s:
            return s.sendall(b"")

    assert same(body)[0] == "raise"


def test_connect_ex_on_a_closed_socket_returns_ebadf():
    def body(mod):
        s = mod.socket()
        s.close()
        return s.connect_ex(("127.0.0.1", 9))

    assert same(body) == ("ok", 9)


CLOSED_CALLS = [
    lambda s: s.send("x"),
    lambda s: s.sendall("x"),
    lambda s: s.sendto(b"x", "bad"),
    lambda s: s.recvfrom_into(b"x"),
    lambda s: s.recvfrom_into(bytearray(1), 5),
    lambda s: s.connect("bad"),
    lambda s: s.connect_ex("bad"),
    lambda s: s.bind("bad"),
    lambda s: s.bind(("127.0.0.1", 70000)),
    lambda s: s.setsockopt(1, 2, "x"),
    lambda s: s.getsockopt(1, 2, 2000),
    lambda s: s.sendmsg(1),
    lambda s: s.sendmsg(["x"]),
]


@pytest.mark.parametrize("call", CLOSED_CALLS)
def test_bad_arguments_win_over_a_closed_socket(call):
    def body(mod):
        s = mod.socket()
        s.close()
        return call(s)

    same(body)


@pytest.mark.parametrize("value", [None, b"", [], 0.5, "x", 2**70, True, 0])
def test_setblocking_takes_an_int(value):
    def body(mod):
        with mod.socket() as s:
            s.setblocking(value)
            return s.getblocking()

    same(body)


@pytest.mark.parametrize("args", [(None,), ("1",), (2**40,), (1, 2)])
def test_listen_arguments(args):
    def body(mod):
        with mod.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.listen(*args)

    same(body)


@pytest.mark.parametrize(
    "call",
    [
        lambda s, m: s.recv(1, 2**31),
        lambda s, m: s.send(b"x", 2**40),
        lambda s, m: s.listen(2**31),
        lambda s, m: s.shutdown(2**31),
        lambda s, m: m.socket(2**40),
        lambda s, m: s.recv(2**63),
        lambda s, m: s.recv_into(bytearray(1), 2**63),
        lambda s, m: s.getsockopt(2**31, 1),
        lambda s, m: s.sendto(b"x", 2**31, ("127.0.0.1", 9)),
    ],
)
def test_integer_overflow_messages(call):
    def body(mod):
        with mod.socket() as s:
            return call(s, mod)

    assert same(body)[1] == "OverflowError"
