"""Regression tests for the differences a second read found (each compared
with the stdlib on the same machine)."""

import os
import socket

import pytest

from diff import same


def udp_pair(mod):
    rx = mod.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.settimeout(2)
    tx = mod.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.connect(rx.getsockname())
    return rx, tx


def test_sendall_of_nothing_still_sends_a_datagram():
    def body(mod):
        rx, tx = udp_pair(mod)
        with rx, tx:
            tx.sendall(b"")
            return rx.recvfrom(10)[0]

    assert same(body) == ("ok", b"")


@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM])
def test_sendall_of_nothing_on_an_unconnected_socket_fails(kind):
    def body(mod):
        with mod.socket(socket.AF_INET, kind) as s:
            return s.sendall(b"")

    assert same(body)[0] == "raise"


@pytest.mark.parametrize("flags", [socket.MSG_TRUNC, socket.MSG_TRUNC | socket.MSG_PEEK])
def test_recvmsg_with_msg_trunc(flags):
    def body(mod):
        a, b = mod.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with a, b:
            a.send(b"hello")
            a.send(b"world!")
            first = b.recvmsg(2, 0, flags)
            if flags & socket.MSG_PEEK:
                b.recv(10)
            return first, b.recvmsg(0, 0, flags)

    same(body)


def test_recv_with_msg_trunc_reports_the_datagram_length():
    def body(mod):
        a, b = mod.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with a, b:
            a.send(b"hello")
            data = b.recv(2, socket.MSG_TRUNC)
            return len(data), data[:2]

    assert same(body) == ("ok", (5, b"he"))


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.recvmsg(1, 2**40),
        lambda s: s.recvmsg(1, 2**31),
        lambda s: s.recvmsg_into([bytearray(1)], 2**40),
        lambda s: s.recvmsg(2**40),
    ],
)
def test_recvmsg_huge_sizes(call):
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            return call(b)

    assert same(body)[0] == "raise"


def test_timeout_holds_when_a_dup_made_the_fd_blocking():
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            b.settimeout(0.2)
            twin = b.dup()
            twin.settimeout(None)  # O_NONBLOCK is shared: b's fd blocks now
            twin.close()
            return b.recv(10)

    assert same(body)[1] == "TimeoutError"


def test_accept_timeout_holds_on_a_blocking_fd():
    def body(mod):
        with mod.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            listener.settimeout(0.2)
            os.set_blocking(listener.fileno(), True)
            return listener.accept()

    assert same(body)[1] == "TimeoutError"


def test_connect_ex_on_a_closed_socket_returns_ebadf():
    def body(mod):
        s = mod.socket()
        s.close()
        return s.connect_ex(("127.0.0.1", 9))

    assert same(body) == ("ok", 9)


@pytest.mark.parametrize("timeout", [1e-9, 1e-6])
def test_tiny_timeouts_still_connect_on_loopback(timeout):
    with socket.create_server(("127.0.0.1", 0)) as server:
        address = server.getsockname()

        def body(mod):
            with mod.socket() as s:
                s.settimeout(timeout)
                s.connect(address)
                conn, _ = server.accept()
                conn.close()
                return "connected"

        def via_create_connection(mod):
            with mod.create_connection(address, timeout=timeout):
                conn, _ = server.accept()
                conn.close()
                return "connected"

        assert same(body) == ("ok", "connected")
        assert same(via_create_connection) == ("ok", "connected")


# Both implementations leak the half-made socket here (settimeout's
# OverflowError is not an OSError), and both warn about it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_create_connection_huge_timeout_message():
    with socket.create_server(("127.0.0.1", 0)) as server:
        same(lambda mod: mod.create_connection(server.getsockname(), timeout=2**40).close())


def test_netlink_addresses():
    def body(mod):
        with mod.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as s:
            s.bind((0, 0))
            pid, groups = s.getsockname()
            return groups, isinstance(pid, int)

    try:
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE).close()
    except OSError as exc:
        pytest.skip(f"no netlink sockets here: {exc}")
    same(body)
    for bad in [(0,), "x", (0, 0, 0)]:
        same(lambda mod, bad=bad: body_bind(mod, bad))


def body_bind(mod, address):
    with mod.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as s:
        return s.bind(address)


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


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.sendmsg([b"x"], [[socket.SOL_SOCKET, socket.SCM_RIGHTS, b""]]),
        lambda s: s.sendmsg([b"x"], None),
        lambda s: s.sendmsg([b"x"], [], 0, None),
    ],
)
def test_sendmsg_ancillary_forms(call):
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            return call(a)

    same(body)


class Index:
    def __index__(self):
        return 5


@pytest.mark.parametrize(
    "address",
    [("::1", 0, 1.0), ("::1", 0, "0"), ("::1", 0, None), ("::1", 0, 0, 1.0), ("::1", 0, Index())],
    ids=repr,
)
def test_ipv6_flowinfo_and_scope_types(address):
    def body(mod):
        with mod.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(address)
            return s.getsockname()[2:]

    same(body)


def test_surrogate_host():
    def body(mod):
        with mod.socket() as s:
            return s.bind(("\udcff", 0))

    same(body)


def test_sock_nonblock_with_fileno_leaves_the_fd_alone():
    def body(mod):
        raw = socket.socket()
        fd = raw.detach()
        with mod.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0, fd) as s:
            return s.gettimeout(), os.get_blocking(fd)

    assert same(body) == ("ok", (0.0, True))


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


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.getaddrinfo("127.0.0.1", 80, None, m.SOCK_STREAM),
        lambda m: m.getaddrinfo("127.0.0.1", 80, flags=None),
        lambda m: m.getaddrinfo("127.0.0.1", 80, type=None),
        lambda m: m.socketpair(2**31),
        lambda m: m.socketpair(m.AF_UNIX, -(2**31) - 1),
    ],
)
def test_lookup_and_pair_argument_types(call):
    same(call)


def test_send_fds_ignores_flags_and_address_as_cpython():
    def body(mod):
        a, b = mod.socketpair()
        r, w = os.pipe()
        try:
            with a, b:
                return mod.send_fds(a, [b"x"], [r], -1), mod.send_fds(a, [b"y"], [w], 0, "nope")
        finally:
            os.close(r)
            os.close(w)

    assert same(body) == ("ok", (1, 1))


def test_fromfd_cuts_the_number_to_a_c_int():
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            with mod.fromfd(2**32 + a.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as twin:
                twin.sendall(b"twin")
                return b.recv(10)

    assert same(body) == ("ok", b"twin")
