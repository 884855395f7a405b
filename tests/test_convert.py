"""Conversions and fd helpers: rnet gives the stdlib's values and errors.

Byte order (htons & co.), address text (inet_aton/ntoa/pton/ntop), interface
indexes, CMSG_LEN/CMSG_SPACE, close, dup and has_ipv6; each row runs on
`socket` and on `rnet` (see diff.py).
"""

import array
import errno
import os
import pathlib
import socket
import sys

import pytest

import rnet

from diff import same


def call(name, *args, **kwargs):
    return lambda mod: getattr(mod, name)(*args, **kwargs)


def ids(case):
    return repr(case)[:60]


INTEGERS = [
    0,
    1,
    0x1234,
    65535,
    65536,
    2**31 - 1,
    2**31,
    2**32 - 1,
    2**32,
    2**63,
    2**64,
    2**70,
    -1,
    -(2**31) - 1,
    -(2**70),
    True,
    socket.AF_INET,
    1.5,
    "1",
    None,
    b"\x01",
]


@pytest.mark.parametrize("value", INTEGERS, ids=ids)
@pytest.mark.parametrize("name", ["htons", "ntohs", "htonl", "ntohl"])
def test_byte_order(name, value):
    same(call(name, value))


@pytest.mark.parametrize("name", ["htons", "ntohs", "htonl", "ntohl"])
@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2), {}), ((), {"x": 1})], ids=ids)
def test_byte_order_arity(name, args, kwargs):
    same(call(name, *args, **kwargs))


def test_byte_order_round_trip():
    for x in (0, 1, 0x1234, 0xFFFF):
        assert rnet.ntohs(rnet.htons(x)) == x
    for x in (0, 1, 0x12345678, 0xFFFFFFFF):
        assert rnet.ntohl(rnet.htonl(x)) == x
    assert rnet.htons(1) == socket.htons(1)


INET_ATON = [
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "0x7f000001",
    "0377.1",
    "1",
    "0",
    "255.255.255.255",
    "4294967295",
    "4294967296",
    "256.0.0.1",
    "1.2.3.4.5",
    "",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2.3.4 junk",
    "1.2.3.4\n",
    "a",
    "08.1",
    "\u0661.\u0662.\u0663.\u0664",
    "1.2.3.4\0",
    "\udcff",
    b"1.2.3.4",
    None,
    1,
]


@pytest.mark.parametrize("text", INET_ATON, ids=ids)
def test_inet_aton(text):
    same(call("inet_aton", text))


INET_NTOA = [
    b"\x7f\x00\x00\x01",
    b"\xff\xff\xff\xff",
    bytearray(b"\x01\x02\x03\x04"),
    memoryview(b"\x01\x02\x03\x04"),
    memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00")[::2],
    array.array("H", [1, 2]),
    b"",
    b"abc",
    b"abcde",
    "1234",
    None,
    1,
]


@pytest.mark.parametrize("packed", INET_NTOA, ids=ids)
def test_inet_ntoa(packed):
    same(call("inet_ntoa", packed))


INET_PTON = [
    (socket.AF_INET, "1.2.3.4"),
    (socket.AF_INET, "255.255.255.255"),
    (socket.AF_INET, "127.1"),
    (socket.AF_INET, "1.2.3.04"),
    (socket.AF_INET, "::1"),
    (socket.AF_INET, ""),
    (socket.AF_INET6, "::1"),
    (socket.AF_INET6, "::"),
    (socket.AF_INET6, "::ffff:1.2.3.4"),
    (socket.AF_INET6, "2001:db8::1"),
    (socket.AF_INET6, "1::2::3"),
    (socket.AF_INET6, "fe80::1%lo"),
    (socket.AF_INET6, "1.2.3.4"),
    (99, "1.2.3.4"),
    (-1, "1.2.3.4"),
    (socket.AF_UNIX, "x"),
    (2**40, "x"),
    ("2", "x"),
    (socket.AF_INET, b"1.2.3.4"),
    (socket.AF_INET, "1.2.3.4\0"),
    (socket.AF_INET, None),
    (socket.AF_INET, "\udcff"),
]


@pytest.mark.parametrize("args", INET_PTON, ids=ids)
def test_inet_pton(args):
    same(call("inet_pton", *args))


INET_NTOP = [
    (socket.AF_INET, b"\x01\x02\x03\x04"),
    (socket.AF_INET, b"\x01\x02\x03"),
    (socket.AF_INET6, bytes(15) + b"\x01"),
    (socket.AF_INET6, bytes(16)),
    (socket.AF_INET6, bytes(10) + b"\xff\xff\x01\x02\x03\x04"),
    (socket.AF_INET6, bytes(12) + b"\x01\x02\x03\x04"),
    (socket.AF_INET6, b"\x20\x01\x0d\xb8" + bytes(11) + b"\x01"),
    (socket.AF_INET6, b"\x01" * 4),
    (99, b"\x01\x02\x03\x04"),
    (-1, b""),
    (socket.AF_UNIX, b"\x01\x02\x03\x04"),
    (2**40, b""),
    (socket.AF_INET, "abcd"),
    (socket.AF_INET, bytearray(b"\x01\x02\x03\x04")),
    (socket.AF_INET, memoryview(b"\x01\x02\x03\x04")),
    (socket.AF_INET, memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00")[::2]),
    (socket.AF_INET, None),
]


@pytest.mark.parametrize("args", INET_NTOP, ids=ids)
def test_inet_ntop(args):
    same(call("inet_ntop", *args))


@pytest.mark.parametrize("name", ["inet_aton", "inet_ntoa", "inet_pton", "inet_ntop"])
@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2, 3), {}), ((), {"x": 1})], ids=ids)
def test_inet_arity(name, args, kwargs):
    same(call(name, *args, **kwargs))


def test_if_nameindex():
    same(call("if_nameindex"))
    same(call("if_nameindex", 1))
    same(call("if_nameindex", x=1))


@pytest.mark.parametrize(
    "name",
    [
        "lo",
        b"lo",
        pathlib.Path("lo"),
        "nope",
        "",
        "x" * 100,
        "lo\0",
        b"lo\0",
        None,
        1,
        bytearray(b"lo"),
    ],
    ids=ids,
)
def test_if_nametoindex(name):
    same(call("if_nametoindex", name))


@pytest.mark.parametrize(
    "index",
    [
        1,
        0,
        9999,
        -1,
        True,
        socket.AF_UNIX,
        2**31,
        2**32,
        2**32 + 1,
        2**64 - 2,
        2**64,
        1.5,
        "1",
        None,
    ],
    ids=ids,
)
def test_if_indextoname(index):
    same(call("if_indextoname", index))


def test_if_indextoname_all_ones():
    """Up to 3.12 CPython returns NULL without an exception for 2**64-1: a
    SystemError, whose text depends on how the function was called; 3.13's
    converter checks the range first."""
    if sys.version_info >= (3, 13):
        same(call("if_indextoname", 2**64 - 1))
        return
    for mod in (socket, rnet):
        with pytest.raises(SystemError):
            mod.if_indextoname(2**64 - 1)


@pytest.mark.parametrize("name", ["if_nametoindex", "if_indextoname"])
@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2), {}), ((), {"x": 1})], ids=ids)
def test_if_arity(name, args, kwargs):
    same(call(name, *args, **kwargs))


def test_if_round_trip():
    for index, name in rnet.if_nameindex():
        assert rnet.if_nametoindex(name) == index
        assert rnet.if_indextoname(index) == name


LIMIT = 2**31 - 1
CMSG_LENGTHS = [
    0,
    1,
    8,
    100,
    LIMIT - 16,
    LIMIT - 15,
    LIMIT - 24,
    LIMIT - 23,
    LIMIT,
    2**31,
    2**63 - 1,
    2**63,
    2**64,
    -1,
    -(2**70),
    True,
    1.5,
    "1",
    None,
]


@pytest.mark.parametrize("length", CMSG_LENGTHS, ids=ids)
@pytest.mark.parametrize("name", ["CMSG_LEN", "CMSG_SPACE"])
def test_cmsg(name, length):
    same(call(name, length))


@pytest.mark.parametrize("name", ["CMSG_LEN", "CMSG_SPACE"])
@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2), {}), ((), {"length": 1})], ids=ids)
def test_cmsg_arity(name, args, kwargs):
    same(call(name, *args, **kwargs))


# Numbers that are never open file descriptors here (-1, far above any
# limit, or cut to a negative C int as CPython cuts them).
BAD_FDS = [-1, 99999, 2**31, 2**70, 1.5, "1", None]


@pytest.mark.parametrize("fd", BAD_FDS, ids=ids)
@pytest.mark.parametrize("name", ["close", "dup"])
def test_bad_fd(name, fd):
    same(call(name, fd))


@pytest.mark.parametrize("name", ["close", "dup"])
@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2), {}), ((), {"fd": 1})], ids=ids)
def test_fd_arity(name, args, kwargs):
    same(call(name, *args, **kwargs))


def test_dup_and_close():
    """dup gives a new, non-inheritable fd for the same socket; close closes it."""
    with rnet.socket() as s:
        fd = rnet.dup(s.fileno())
        try:
            assert fd != s.fileno()
            assert not os.get_inheritable(fd)
            with rnet.socket(fileno=os.dup(fd)) as twin:
                assert twin.family == s.family and twin.type == s.type
        finally:
            rnet.close(fd)
        with pytest.raises(OSError) as err:
            os.fstat(fd)
        assert err.value.errno == errno.EBADF


def test_has_ipv6():
    assert rnet.has_ipv6 is socket.has_ipv6 is True
