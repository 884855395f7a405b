"""Addresses other than IPv4's (host, port): AF_UNIX paths and abstract names,
IPv6's 4-tuples, scopes and V6ONLY, netlink's (pid, groups), and hosts and
fields of the wrong type; each compared with the stdlib."""

import os
import socket

import pytest

from diff import same


def test_unix_stream_and_datagram_paths(mod, tmp_path):
    path = str(tmp_path / "srv.sock")
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen()
        assert server.getsockname() == path
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            conn, addr = server.accept()
            with conn:
                assert addr == "" and client.getpeername() == path
    dgram_path = str(tmp_path / "dgram.sock")
    with (
        mod.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as rx,
        mod.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as tx,
    ):
        rx.bind(dgram_path)
        tx.bind(str(tmp_path / "tx.sock"))
        tx.sendto(b"datagram", dgram_path)
        assert rx.recvfrom(100) == (b"datagram", str(tmp_path / "tx.sock"))


def test_unix_abstract_namespace(mod):
    name = b"\0rnet-test-%d-%s" % (os.getpid(), mod.__name__.encode())
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(name)
        assert server.getsockname() == name
        server.listen()
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(name)
            conn, _ = server.accept()
            conn.close()
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as auto:
        auto.bind(b"")  # autobind: the kernel picks an abstract name
        assert auto.getsockname()[:1] == b"\0"


@pytest.mark.parametrize(
    "address",
    ["x" * 108, b"x" * 108, b"\0" + b"x" * 108, 5, None, ("a", 1)],
    ids=lambda a: repr(a)[:20],
)
def test_unix_bad_addresses(address):
    def body(mod):
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            return s.bind(address)

    same(body)


def test_ipv6_addresses(mod):
    with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as server:
        server.bind(("::1", 0, 0, 0))
        server.listen()
        host, port, flowinfo, scope_id = server.getsockname()
        assert (host, flowinfo, scope_id) == ("::1", 0, 0)
        with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as client:
            client.connect(("::1", port))
            conn, addr = server.accept()
            with conn:
                assert addr == client.getsockname()
                assert len(addr) == 4


def test_ipv6_scoped_link_local():
    index = socket.if_nametoindex("lo")

    def body(mod):
        with mod.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("fe80::1", 0, 0, index))
            except OSError as exc:
                return ("bind failed", exc.errno)
            return s.getsockname()[0]

    same(body)


def test_v6only_option(mod):
    with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        initial = s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 - initial)
        assert s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 1 - initial


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


@pytest.mark.parametrize(
    "call",
    ["connect-date-host", "connect-ordereddict-port", "sendmsg-none-ancillary"],
)
def test_wrong_types_are_named_as_cpython_names_them(call):
    """Messages name a type by its tp_name: datetime.date, not date; None, not NoneType."""
    import collections
    import datetime

    def body(mod):
        with mod.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            if call == "connect-date-host":
                return s.connect((datetime.date(2000, 1, 1), 80))
            if call == "connect-ordereddict-port":
                return s.connect(("127.0.0.1", collections.OrderedDict()))
            return s.sendmsg([b"x"], [None], 0, ("127.0.0.1", 9))

    same(body)
