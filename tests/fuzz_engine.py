"""Differential fuzzer: every public callable of rnet against the stdlib.

A *case* is one call (a module function or a socket method) with arguments
drawn from a seeded generator: typed values per parameter, and hostile ones
(ints at the C boundaries, floats, None, str, bytes, bytearray, memoryviews
including non-contiguous ones, objects with ``__index__``, wrong arity,
keywords). The same case runs on ``socket`` and on ``rnet``, each on its own
equivalent fresh sockets (connected, listening, bound, closed...), and the
outcomes are compared: the return value (normalised where fds, ports and
temporary paths legitimately differ), the state of mutable arguments after
the call, or the exception's class, errno, args and message.

Outcomes fall in three classes: ``same``; ``arity`` (both raise TypeError for
a wrong number or kind of arguments, rnet in PyO3's wording, which is kept on
purpose: see the README); ``diff``. Batches run in subprocesses, so a crash or
a hang is caught, counted and blamed on its case.

Hermetic by construction: sockets talk over loopback only; host arguments
are loopback addresses, names /etc/hosts lists, or values that fail before
any lookup; reverse lookups only of 127.0.0.1; names never go to an AF_INET6
lookup (/etc/hosts has no IPv6 entry, so that would ask DNS). An audit hook
counts any call that slips past these rules (``guard`` in the statistics).
Every socket has a timeout of a few milliseconds (or none only where a call
cannot block), every batch a deadline.

Run the full campaign (>= 100,000 cases; prints the statistics)::

    python tests/fuzz_engine.py --cases 100000 --seed 1

Reproduce one case, printing both outcomes::

    python tests/fuzz_engine.py --seed 1 --case 1234
"""

import argparse
import array
import io
import json
import math
import operator
import os
import random
import re
import select
import signal
import socket as std
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter

TIMEOUT = 0.002  # seconds: the timeout of every fixture socket
HOSTS = "/etc/hosts"


def hosts_names(path=HOSTS):
    """The names /etc/hosts lists for IPv4 addresses: safe AF_INET lookups."""
    names = set()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split("#", 1)[0].split()
                if len(fields) > 1 and ":" not in fields[0]:
                    names.update(fields[1:])
    except OSError:
        pass
    return sorted(names | {"localhost"} if "localhost" in names else names)


NAMES = hosts_names()


# --- values ---------------------------------------------------------------


class Index:
    """An object with ``__index__`` (and nothing else)."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

    def __repr__(self):
        return f"Index({self.value!r})"


class BadIndex:
    """``__index__`` raises."""

    def __index__(self):
        raise ValueError("bad index")

    def __repr__(self):
        return "BadIndex()"


class IntOnly:
    """``__int__`` and ``__float__`` but no ``__index__``."""

    def __int__(self):
        return 3

    def __float__(self):
        return 3.0

    def __repr__(self):
        return "IntOnly()"


class Plain:
    """A plain object with a stable repr."""

    def __repr__(self):
        return "Plain()"


class Tok:
    """A value that only exists per environment (an fd, a port, a file...)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"


class V:
    """A mutable or stateful value, built afresh for each module."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def build(self):
        return eval(self.text, BUILD_NS)  # noqa: S307 - our own recipes only


BUILD_NS = {"array": array, "io": io, "Index": Index, "memoryview": memoryview}


I32 = 2**31
I64 = 2**63
BOUNDARY_INTS = [
    0,
    1,
    -1,
    I32 - 1,
    I32,
    -I32,
    -I32 - 1,
    2**32 - 1,
    2**32,
    I64 - 1,
    I64,
    -I64,
    -I64 - 1,
    2**64 - 1,
    2**64,
    2**100,
    -(2**100),
]
HOSTILE = BOUNDARY_INTS + [
    0.0,
    1.5,
    -1.5,
    math.nan,
    math.inf,
    None,
    True,
    False,
    "",
    "x",
    "a\x00b",
    "\udcff",
    b"",
    b"x",
    V("bytearray(b'ab')"),
    V("memoryview(b'abc')"),
    V("memoryview(bytearray(8))[::2]"),
    Index(1),
    Index(I32),
    Index(2**64),
    BadIndex(),
    IntOnly(),
    Plain(),
    V("[]"),
    (),
    V("[1]"),
    1j,
]
# Host-like parameters never take a hostile str or bytes: "x" would be a lookup.
TEXTLIKE = (str, bytes)


def hostile(rng, safe=None):
    """A hostile value; for host-like parameters, strings come from `safe`."""
    value = rng.choice(HOSTILE)
    if safe is not None and isinstance(value, TEXTLIKE + (V,)):
        value = rng.choice(safe)  # a bytearray(b'ab') host would be a lookup too
    return value


def fd_hostile(rng):
    """fd arguments: never a small int (that could be the fuzzer's own fd)."""
    value = hostile(rng)
    if isinstance(value, (int, Index)):  # bools too: close(False) is close(0)
        v = value.value if isinstance(value, Index) else int(value)
        # CPython cuts an fd to a C int: 2**32 closes fd 0.
        low = (v & 0xFFFFFFFF) - ((v & 0x80000000) << 1)
        if 0 <= low < 100_000:
            return rng.choice([-1, 100_000, Tok("fd")])
    return value


# Typed values per parameter domain. A domain is a list, or a function of
# (rng, ctx) for values that depend on the socket's family.
F, T = std.AF_INET, std.SOCK_STREAM
BYTES = [
    b"",
    b"x",
    b"hello",
    bytes(100),
    bytes(65536),
    V("bytearray(b'abc')"),
    V("memoryview(b'abcd')"),
    V("memoryview(bytearray(8))[::2]"),
    V("memoryview(b'abcdef').cast('B', (2, 3))"),
    V("array.array('i', [1, 2])"),
    "text",
    None,
    1,
]
WBUF = [
    V("bytearray(0)"),
    V("bytearray(10)"),
    V("bytearray(100)"),
    V("memoryview(bytearray(16))"),
    V("memoryview(bytearray(16))[::2]"),
    V("memoryview(bytearray(16))[2:6]"),
    V("memoryview(b'ro')"),
    b"ro",
    V("array.array('b', bytes(8))"),
    None,
    "str",
]
FLAGS = [
    0,
    0,
    std.MSG_PEEK,
    std.MSG_DONTWAIT,
    std.MSG_OOB,
    std.MSG_TRUNC,
    std.MSG_WAITALL,
    std.MSG_NOSIGNAL,
    std.MSG_PEEK | std.MSG_DONTWAIT,
    -1,
    0xFFFF,
]
SIZES = [0, 1, 2, 5, 100, 1024, 65536, -1, I32 - 1, I32, I64 - 1, I64, -I64 - 1]
FAMILIES = [std.AF_INET, std.AF_INET6, std.AF_UNIX, 0, std.AF_NETLINK, 99, -1]
TYPES = [
    std.SOCK_STREAM,
    std.SOCK_DGRAM,
    std.SOCK_RAW,
    std.SOCK_SEQPACKET,
    std.SOCK_STREAM | std.SOCK_NONBLOCK,
    std.SOCK_DGRAM | std.SOCK_CLOEXEC,
    0,
    -1,
    99,
]
PROTOS = [0, std.IPPROTO_TCP, std.IPPROTO_UDP, 1, 255, -1]
LEVELS = [std.SOL_SOCKET, std.IPPROTO_TCP, std.IPPROTO_IP, std.IPPROTO_IPV6, std.IPPROTO_UDP, 999]
OPTNAMES = [
    std.SO_REUSEADDR,
    std.SO_KEEPALIVE,
    std.SO_RCVBUF,
    std.SO_SNDBUF,
    std.SO_TYPE,
    std.SO_ERROR,
    std.SO_LINGER,
    std.SO_RCVTIMEO,
    std.SO_BROADCAST,
    std.TCP_NODELAY,
    std.TCP_MAXSEG,
    std.IP_TTL,
    std.IP_TOS,
    std.IPV6_V6ONLY,
    100,
]
# Never a value that starts like a multicast group (0xe0-0xef, 0xff): a
# membership option with it would announce a join on the real network.
OPTVALS = [
    0,
    1,
    255,
    -1,
    I32 - 1,
    b"",
    b"\x01\x00\x00\x00",
    bytes(8),
    bytes(16),
    V("bytearray(4)"),
    V("memoryview(bytes(4))"),
    None,
    "x",
    1.5,
]
TIMEOUTS = [None, 0, 0.0, 0.001, 1e-9, 0.5, -1, -0.5, math.nan, math.inf, I64, 1e300, 10**20, "1"]
BOOLS = [True, False, 0, 1, 2, 2**32 - 1, 2**64, -1, None, "x", 1.5, Index(1)]
HOWS = [std.SHUT_RD, std.SHUT_WR, std.SHUT_RDWR, 3, -1]
MODES = ["r", "w", "b", "rb", "wb", "rw", "rwb", "x", "", "rt"]
LOOKUP_NAMES = NAMES + ["127.0.0.1", "", "a" * 64, "a\x00b", "\udcff", b"localhost", "."]
IPV4_LOOP = ["127.0.0.1", "localhost", "", "127.0.0.2", "0.0.0.0"]
IPV6_LOOP = ["::1", "", "::", "::ffff:127.0.0.1"]


def port(rng, ctx):
    return rng.choice([Tok("port"), Tok("port"), 0, 1, 65535, 65536, -1, I32, Index(0), "80", None])


def inet_address(rng, ctx, hosts, bind=False):
    hosts = hosts + (["<broadcast>", "255.255.255.255"] if bind else [])
    host = rng.choice(hosts)
    if rng.random() < 0.1:
        host = rng.choice(["a" * 64, "a\x00b", "\udcff", 1, None, b"127.0.0.1"])
    p = 0 if bind and rng.random() < 0.6 else port(rng, ctx)
    return host, p


def address(rng, ctx, bind=False):
    """An address for a socket of family ctx['family']: loopback only."""
    family = ctx.get("family", F)
    r = rng.random()
    if r < 0.08:
        return rng.choice(["127.0.0.1", V("['127.0.0.1', 0]"), ("127.0.0.1",), (), 5, None])
    if family == std.AF_INET:
        host, p = inet_address(rng, ctx, IPV4_LOOP, bind)
        if rng.random() < 0.1:
            return (host, p, 0)
        return (host, p)
    if family == std.AF_INET6:
        host, p = inet_address(rng, ctx, IPV6_LOOP, bind)
        if isinstance(host, str) and host[:1].isalpha():
            host = "::1"  # no names: an AF_INET6 lookup would ask DNS
        extra = rng.choice([(), (0,), (0, 0), (2**20,), (0, -1), (0, 0, 0)])
        return (host, p, *extra)
    if family == std.AF_UNIX:
        return rng.choice(
            [Tok("upath"), "fz-new", b"fz-newb", b"\x00fz-abstract", "", "x" * 200, Tok("upath"), 5]
        )
    return rng.choice([(0, 0), ("127.0.0.1", 0), b"", 0])


def bind_address(rng, ctx):
    return address(rng, ctx, bind=True)


def sockaddr_for_nameinfo(rng, ctx):
    host = rng.choice(["127.0.0.1", "127.0.0.1", "::1", "localhost", 1])
    return rng.choice([(host, 80), (host, 0), (host, 80, 0, 0), (host,), "x", (host, 2**16)])


def buffers(rng, ctx):
    return rng.choice(
        [
            V("[b'ab', bytearray(b'cd')]"),
            V("[]"),
            V("[memoryview(bytearray(8))[::2]]"),
            V("[b'x' * 10]"),
            "str",
            V("[1]"),
            None,
            V("(b'a',)"),
        ]
    )


def wbuffers(rng, ctx):
    return rng.choice(
        [
            V("[bytearray(4)]"),
            V("[bytearray(4), bytearray(8)]"),
            V("[]"),
            V("(bytearray(4),)"),
            V("[b'ro']"),
            V("[memoryview(bytearray(8))[::2]]"),
            None,
            5,
            V("[None]"),
        ]
    )


def ancdata(rng, ctx):
    return rng.choice(
        [
            V("[]"),
            Tok("rights"),
            V("[(1, 2)]"),
            V("[(1, 2, 3)]"),
            V("[(0, 0, b'')]"),
            None,
            V("[('a', 1, b'')]"),
            V("[(2**31, 0, b'')]"),
            V("[[1, 2, b'xy']]"),
        ]
    )


def gai(rng, ctx):
    """(host, port, family): a name never with AF_INET6 (no IPv6 /etc/hosts entry)."""
    family = rng.choice([0, 0, std.AF_INET, std.AF_INET6, std.AF_UNIX, -1, I32])
    # getaddrinfo cuts a host at its first NUL (no check, unlike "et"): a
    # NUL may only follow a name that is safe to look up.
    hosts = [h for h in LOOKUP_NAMES if h != "a\x00b"] + [None, "::1", "localhost\x00b"]
    host = rng.choice(hosts)
    text = host.decode() if isinstance(host, bytes) else host
    if isinstance(text, str) and text and not text.startswith("a"):
        numeric4 = text[0].isdigit()
        if family == std.AF_INET6 and not text.startswith(":"):
            host = "::1"
        elif text.startswith(":") and family not in (0, std.AF_INET6):
            host = "127.0.0.1"
        elif numeric4 and family == std.AF_INET6:
            host = "::1"
    p = rng.choice([None, 0, 80, "http", "80", "nosuchservice", -1, 65536, I32, b"80", 1.5])
    return host, p, family


SPECS_SOCK = {}  # method -> list of (name, domain, required)
SPECS_MOD = {}


def spec(table, name, *params):
    table[name] = list(params)


def p(name, domain, required=True, kwonly=False):
    return (name, domain, required, kwonly)


def opt(name, domain):
    return p(name, domain, False)


spec(SPECS_SOCK, "accept")
spec(SPECS_SOCK, "bind", p("address", bind_address))
spec(SPECS_SOCK, "close")
spec(SPECS_SOCK, "connect", p("address", address))
spec(SPECS_SOCK, "connect_ex", p("address", address))
spec(SPECS_SOCK, "detach")
spec(SPECS_SOCK, "dup")
spec(SPECS_SOCK, "fileno")
spec(SPECS_SOCK, "get_inheritable")
spec(SPECS_SOCK, "getblocking")
spec(SPECS_SOCK, "getpeername")
spec(SPECS_SOCK, "getsockname")
spec(
    SPECS_SOCK,
    "getsockopt",
    p("level", LEVELS),
    p("option", OPTNAMES),
    opt("buflen", [0, 1, 4, 1024, 1025, -1]),
)
spec(SPECS_SOCK, "gettimeout")
spec(SPECS_SOCK, "listen", opt("backlog", [0, 1, 5, -1, I32 - 1, I32]))
spec(
    SPECS_SOCK,
    "makefile",
    opt("mode", MODES),
    opt("buffering", [None, 0, -1, 1, 8192]),
    p("encoding", [None, "utf-8", "nosuch"], False, True),
    p("newline", [None, "", "\n", "x"], False, True),
)
spec(SPECS_SOCK, "recv", p("bufsize", SIZES), opt("flags", FLAGS))
spec(SPECS_SOCK, "recv_into", p("buffer", WBUF), opt("nbytes", SIZES), opt("flags", FLAGS))
spec(SPECS_SOCK, "recvfrom", p("bufsize", SIZES), opt("flags", FLAGS))
spec(SPECS_SOCK, "recvfrom_into", p("buffer", WBUF), opt("nbytes", SIZES), opt("flags", FLAGS))
spec(
    SPECS_SOCK,
    "recvmsg",
    p("bufsize", SIZES),
    opt("ancbufsize", [0, 1, 16, 1024, -1, -65536, I32 - 1, I32]),
    opt("flags", FLAGS),
)
spec(
    SPECS_SOCK,
    "recvmsg_into",
    p("buffers", wbuffers),
    opt("ancbufsize", [0, 16, 1024, -1, I32]),
    opt("flags", FLAGS),
)
spec(SPECS_SOCK, "send", p("data", BYTES), opt("flags", FLAGS))
spec(SPECS_SOCK, "sendall", p("data", BYTES), opt("flags", FLAGS))
spec(
    SPECS_SOCK,
    "sendfile",
    p("file", [Tok("file"), Tok("file"), Tok("textfile"), Tok("bytesio"), Tok("emptyfile"), None]),
    opt("offset", [0, 1, 100, -1, None, 1.5]),
    opt("count", [None, 0, 1, 10, I32, -1, 1.5, "1"]),
)
spec(
    SPECS_SOCK,
    "sendmsg",
    p("buffers", buffers),
    opt("ancdata", ancdata),
    opt("flags", FLAGS),
    opt("address", address),
)
spec(SPECS_SOCK, "sendto", p("data", BYTES), opt("flags", FLAGS), p("address", address))
spec(SPECS_SOCK, "set_inheritable", p("inheritable", BOOLS))
spec(SPECS_SOCK, "setblocking", p("flag", BOOLS))
spec(
    SPECS_SOCK,
    "setsockopt",
    p("level", LEVELS),
    p("option", OPTNAMES),
    p("value", OPTVALS),
    opt("optlen", [0, 4, 8, -1, 2**32 - 1, 2**32]),
)
spec(SPECS_SOCK, "settimeout", p("value", TIMEOUTS))
spec(SPECS_SOCK, "shutdown", p("how", HOWS))
spec(SPECS_SOCK, "__repr__")
spec(SPECS_SOCK, "__getstate__")
spec(SPECS_SOCK, "__enter__")
spec(SPECS_SOCK, "__exit__", opt("a", [None]), opt("b", [None]), opt("c", [None]))
for attr in ("family", "type", "proto", "timeout"):
    spec(SPECS_SOCK, "attr:" + attr)

FDS = [Tok("fd"), Tok("fd"), -1, 100_000, None]
spec(SPECS_MOD, "socket", opt("family", FAMILIES), opt("type", TYPES), opt("proto", PROTOS),
     opt("fileno", FDS))  # fmt: skip
spec(SPECS_MOD, "SocketType", opt("family", FAMILIES), opt("type", TYPES), opt("proto", PROTOS),
     opt("fileno", FDS))  # fmt: skip
spec(SPECS_MOD, "socketpair", opt("family", [None] + FAMILIES), opt("type", TYPES),
     opt("proto", PROTOS))  # fmt: skip
spec(SPECS_MOD, "fromfd", p("fd", FDS), p("family", FAMILIES), p("type", TYPES),
     opt("proto", PROTOS))  # fmt: skip


def conn_address(rng, ctx):
    host = rng.choice(["127.0.0.1", "localhost", "::1", "127.0.0.2", 1, None, "a" * 64])
    return rng.choice([(host, Tok("port")), (host, Tok("port")), (host, 0), (host,), "x", None])


def source_address(rng, ctx):
    return rng.choice(
        [None, ("127.0.0.1", 0), ("", 0), ("127.0.0.1", Tok("port")), "x", ("::1", 0), ()]
    )


def server_address(rng, ctx):
    host = rng.choice(["127.0.0.1", "", "::1", "0.0.0.0", "::", 5])
    return rng.choice([(host, 0), (host, 0), (host, Tok("port")), "x", (host,)])


GAI_TIMEOUTS = [std._GLOBAL_DEFAULT_TIMEOUT, None, 0, 0.5, -1, "x"]
spec(SPECS_MOD, "create_connection", p("address", conn_address), opt("timeout", GAI_TIMEOUTS),
     opt("source_address", source_address),
     p("all_errors", [False, True], False, True))  # fmt: skip
spec(SPECS_MOD, "create_server", p("address", server_address),
     p("family", [std.AF_INET, std.AF_INET6, std.AF_UNIX, -1], False, True),
     p("backlog", [None, 0, 5, -1, "x"], False, True),
     p("reuse_port", [False, True], False, True),
     p("dualstack_ipv6", [False, True], False, True))  # fmt: skip
spec(SPECS_MOD, "has_dualstack_ipv6")
spec(SPECS_MOD, "send_fds", p("sock", [Tok("usock"), Tok("usock"), Tok("usock"), None, 5]),
     p("buffers", buffers), p("fds", [V("[]"), Tok("fdlist"), V("[-1]"), V("[2**31]"), "x"]),
     opt("flags", FLAGS), opt("address", [None, b"", "x"]))  # fmt: skip
spec(SPECS_MOD, "recv_fds", p("sock", [Tok("usock"), Tok("usock"), Tok("usock"), None]),
     p("bufsize", SIZES[:8]), p("maxfds", [0, 1, 4, -1, I32]),
     opt("flags", FLAGS))  # fmt: skip
spec(SPECS_MOD, "getaddrinfo", p("host", None), p("port", None), opt("family", None),
     opt("type", [0, std.SOCK_STREAM, std.SOCK_DGRAM, -1, 99]),
     opt("proto", [0, std.IPPROTO_TCP, -1]),
     opt("flags", [0, std.AI_PASSIVE, std.AI_CANONNAME, std.AI_NUMERICHOST, std.AI_NUMERICSERV,
                   std.AI_ADDRCONFIG, -1]))  # fmt: skip
spec(SPECS_MOD, "getfqdn", opt("name", ["", "localhost", "127.0.0.1"] + NAMES))
spec(SPECS_MOD, "gethostname")
# sethostname: only arguments that fail before the system call (root could
# otherwise rename the machine).
spec(SPECS_MOD, "sethostname", p("name", [None, 5, 1.5, Plain(), "x" * 100, b"y" * 100]))
spec(SPECS_MOD, "gethostbyname", p("hostname", LOOKUP_NAMES))
spec(SPECS_MOD, "gethostbyname_ex", p("hostname", LOOKUP_NAMES))
spec(SPECS_MOD, "gethostbyaddr", p("ip", ["127.0.0.1", "localhost", "a" * 64, "a\x00b"]))
spec(SPECS_MOD, "getnameinfo", p("sockaddr", sockaddr_for_nameinfo),
     p("flags", [0, std.NI_NUMERICHOST, std.NI_NUMERICSERV, std.NI_NAMEREQD, std.NI_DGRAM,
                 std.NI_NOFQDN, std.NI_NUMERICHOST | std.NI_NUMERICSERV, -1]))  # fmt: skip
SERVICES = ["http", "ssh", "domain", "nosuchservice", "", "a\x00b", "\udcff", b"http"]
PROTOCOLS = [None, "tcp", "udp", "xyz", "", "a\x00b", b"tcp"]
spec(SPECS_MOD, "getservbyname", p("servicename", SERVICES), opt("protocolname", PROTOCOLS))
spec(SPECS_MOD, "getservbyport", p("port", [80, 53, 0, 65535, 65536, -1, I32, Index(22)]),
     opt("protocolname", PROTOCOLS))  # fmt: skip
spec(SPECS_MOD, "getprotobyname", p("name", ["tcp", "udp", "icmp", "nosuch", "", "a\x00b", b"tcp"]))
IPSTRS = ["127.0.0.1", "1.2.3", "256.0.0.1", "", "x", "1.2.3.4\x00", b"1.2.3.4", "::1",
          "::ffff:1.2.3.4", "1::2::3", "0x7f.1", " 1.2.3.4", "1.2.3.4 "]  # fmt: skip
PACKED = [bytes(4), b"\x7f\x00\x00\x01", bytes(3), bytes(5), bytes(16), bytes(17),
          V("bytearray(4)"), V("memoryview(bytes(4))"), V("memoryview(bytearray(8))[::2]"),
          "1234"]  # fmt: skip
spec(SPECS_MOD, "inet_aton", p("string", IPSTRS))
spec(SPECS_MOD, "inet_ntoa", p("packed_ip", PACKED))
spec(SPECS_MOD, "inet_pton", p("address_family", FAMILIES[:4] + [I32]), p("ip_string", IPSTRS))
spec(SPECS_MOD, "inet_ntop", p("address_family", FAMILIES[:4] + [I32]), p("packed_ip", PACKED))
for fn in ("htons", "ntohs", "htonl", "ntohl"):
    spec(SPECS_MOD, fn, p("x", [0, 1, 65535, 65536, -1, 2**32 - 1, 2**32, I64, 2**64, Index(5)]))
spec(SPECS_MOD, "if_nameindex")
spec(SPECS_MOD, "if_nametoindex", p("oname", ["lo", "eth0", "nosuch", "", "a" * 20, b"lo"]))
spec(SPECS_MOD, "if_indextoname", p("index", [1, 0, -1, I32, 2**32, 2**64 - 1, 2**64, "lo"]))
spec(SPECS_MOD, "CMSG_LEN", p("length", [0, 1, 4, -1, I32, I64 - 1, I64, 2**64]))
spec(SPECS_MOD, "CMSG_SPACE", p("length", [0, 1, 4, -1, I32, I64 - 1, I64, 2**64]))
spec(SPECS_MOD, "close", p("fd", FDS))
spec(SPECS_MOD, "dup", p("fd", FDS))
spec(SPECS_MOD, "getdefaulttimeout")
spec(SPECS_MOD, "setdefaulttimeout", p("timeout", TIMEOUTS))

# Parameters whose str/bytes values reach a resolver: hostile strings there
# are replaced by safe ones.
HOSTLIKE = {
    ("gethostbyname", "hostname"): LOOKUP_NAMES,
    ("gethostbyname_ex", "hostname"): LOOKUP_NAMES,
    ("gethostbyaddr", "ip"): ["127.0.0.1"],
    ("getfqdn", "name"): ["localhost"],
    ("getaddrinfo", "host"): ["localhost", "127.0.0.1"],
    ("sethostname", "name"): ["x" * 100],
}
FDLIKE = {"fileno", "fd"}

# Socket fixtures: kind -> (weight). See Env.fixture.
KINDS = {
    "tcp4": 3,
    "tcp4b": 2,
    "tcp6": 2,
    "udp4": 3,
    "udp6": 1,
    "listen4": 3,
    "conn4": 5,
    "conn4nb": 2,
    "unixs": 3,
    "unixd": 2,
    "closed": 3,
    "closedu": 1,
}
KIND_FAMILY = {
    "tcp6": std.AF_INET6,
    "udp6": std.AF_INET6,
    "unixs": std.AF_UNIX,
    "unixd": std.AF_UNIX,
}


# --- cases ------------------------------------------------------------------


def draw(rng, fname, param, ctx):
    name, domain, _req, _kw = param
    if name in FDLIKE:
        return fd_hostile(rng) if rng.random() < 0.3 else rng.choice(domain)
    safe = HOSTLIKE.get((fname, name))
    if domain is None or rng.random() < 0.25 and fname != "sethostname":
        if domain is None and ctx.get("gai"):
            host, prt, fam = ctx["gai"]
            value = {"host": host, "port": prt, "family": fam}[name]
            if rng.random() < 0.15 and name != "host":
                value = hostile(rng)
            return value
        return hostile(rng, safe) if domain is not None else None
    if callable(domain):
        return domain(rng, ctx)
    return rng.choice(domain)


def make_case(seed, i):
    """Case `i` of campaign `seed`: always the same, whatever ran before it."""
    rng = random.Random(f"{seed}:{i}")
    on_socket = rng.random() < 0.65
    table = SPECS_SOCK if on_socket else SPECS_MOD
    fname = rng.choice(sorted(table))
    params = table[fname]
    ctx = {}
    kind = None
    if on_socket:
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        ctx["family"] = KIND_FAMILY.get(kind, F)
    if fname == "getaddrinfo":
        ctx["gai"] = gai(rng, ctx)
    args, kwargs = [], {}
    # How many of the optional positionals are given.
    positional = [q for q in params if not q[3]]
    required = sum(1 for q in positional if q[2])
    n = rng.randint(required, len(positional))
    if fname == "sendto":
        n = rng.choice([2, 3, 3])
        chosen = [positional[0], positional[2]] if n == 2 else positional
    else:
        chosen = positional[:n]
    for q in chosen:
        args.append(draw(rng, fname, q, ctx))
    for q in params:
        if q[3] and rng.random() < 0.5:
            kwargs[q[0]] = draw(rng, fname, q, ctx)
    # Arity and keyword mutations.
    r = rng.random()
    if r < 0.04 and args:
        args.pop()
    elif r < 0.08:
        args.append(hostile(rng, ["localhost"]))
    elif r < 0.11 and args and fname != "sendto":
        name = chosen[len(args) - 1][0]
        kwargs[name] = args.pop()
    elif r < 0.13:
        kwargs["bogus"] = 1
    if fname == "getnameinfo" and len(args) == 2:
        # A reverse lookup of anything but 127.0.0.1 would ask DNS.
        sa, fl = args
        numeric = isinstance(fl, int) and fl & std.NI_NUMERICHOST
        if isinstance(sa, tuple) and sa and sa[0] != "127.0.0.1" and not numeric:
            args[0] = ("127.0.0.1",) + sa[1:]
    return {"i": i, "fn": fname, "kind": kind, "args": args, "kwargs": kwargs}


def describe(case):
    args = ", ".join(
        [repr(a) for a in case["args"]] + [f"{k}={v!r}" for k, v in case["kwargs"].items()]
    )
    if case["kind"]:
        return f"{case['kind']}.{case['fn']}({args})"
    return f"mod.{case['fn']}({args})"


# --- environments -------------------------------------------------------------


def wait_readable(sock, timeout=1.0):
    select.select([sock], [], [], timeout)


class Env:
    """The fresh sockets, files and fds one case needs on one module."""

    def __init__(self, mod, tmp):
        self.mod = mod
        self.tmp = tmp
        self.closers = []
        self.fds = {}  # fd -> token
        self.ports = {}  # port -> token
        self.mutables = []
        self.target = None

    def keep(self, obj):
        self.closers.append(obj)
        return obj

    def note_fd(self, fd, name):
        self.fds.setdefault(fd, f"<fd:{name}>")

    def note_sock(self, sock, name):
        try:
            self.note_fd(sock.fileno(), name)
        except Exception:
            pass
        try:
            addr = sock.getsockname()
            if isinstance(addr, tuple) and addr[1]:
                self.ports.setdefault(addr[1], f"<port:{name}>")
        except Exception:
            pass
        return sock

    def std_listener(self, family=F, kind=T):
        s = self.keep(std.socket(family, kind))
        s.bind(("::1" if family == std.AF_INET6 else "127.0.0.1", 0))
        if kind == T:
            s.listen(8)
        return self.note_sock(s, "peer")

    def fixture(self, kind):
        """The socket under test, of `kind`, made by this module."""
        mod = self.mod
        if kind in ("tcp4", "tcp4b", "tcp6", "closed"):
            fam = std.AF_INET6 if kind == "tcp6" else F
            self.target = self.std_listener(fam).getsockname()
            s = self.keep(mod.socket(fam, T))
            if kind == "tcp4b":
                s.settimeout(None)
        elif kind in ("udp4", "udp6", "closedu"):
            fam = std.AF_INET6 if kind == "udp6" else F
            peer = self.std_listener(fam, std.SOCK_DGRAM)
            self.target = peer.getsockname()
            s = self.keep(mod.socket(fam, std.SOCK_DGRAM))
            if kind == "udp4":
                s.bind(("127.0.0.1", 0))
                peer.sendto(b"datagram", s.getsockname())
                wait_readable(s)
        elif kind == "listen4":
            s = self.keep(mod.socket(F, T))
            s.bind(("127.0.0.1", 0))
            s.listen(4)
            self.target = s.getsockname()
        elif kind in ("conn4", "conn4nb"):
            lst = self.std_listener()
            self.target = lst.getsockname()
            s = self.keep(mod.socket(F, T))
            s.settimeout(1.0)
            s.connect(self.target)
            server, _ = lst.accept()
            self.keep(server)
            self.note_sock(server, "peer")
            if kind == "conn4":
                server.sendall(b"data!")
                wait_readable(s)
            else:
                s.setblocking(False)
        elif kind in ("unixs", "unixd"):
            typ = T if kind == "unixs" else std.SOCK_DGRAM
            path = os.path.join(self.tmp, f"u-{kind}")
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            s = self.keep(mod.socket(std.AF_UNIX, typ))
            s.bind(path)
            if typ == T:
                s.listen(2)
                a, b = mod.socketpair(std.AF_UNIX, T)
                self.keep(a)
                self.keep(b)
                s.close()
                s = a
                self.target = path
                lst = self.keep(std.socket(std.AF_UNIX, T))
                os.unlink(path)
                lst.bind(path)
                lst.listen(2)
                b.sendall(b"data!")
                wait_readable(a)
            else:
                peer = self.keep(std.socket(std.AF_UNIX, std.SOCK_DGRAM))
                peer.sendto(b"datagram", path)
                self.target = path
                wait_readable(s)
        else:
            raise ValueError(kind)
        if kind not in ("tcp4b",):
            s.settimeout(0.0 if kind == "conn4nb" else TIMEOUT)
        if kind in ("closed", "closedu"):
            s.close()
        self.note_sock(s, "self")
        if isinstance(self.target, tuple):
            self.ports.setdefault(self.target[1], "<port:target>")
        return s

    def token(self, name):
        mod = self.mod
        if name == "port":
            if self.target is None:
                self.target = self.std_listener().getsockname()
            return self.target[1] if isinstance(self.target, tuple) else 0
        if name == "upath":
            if isinstance(self.target, str):
                return self.target
            return os.path.join(self.tmp, "no-such-path")
        if name in ("fd", "fdlist", "rights"):
            s = self.keep(mod.socket(F, std.SOCK_DGRAM))
            self.note_fd(s.fileno(), "arg")
            if name == "fd":
                return s.fileno()
            if name == "fdlist":
                return [s.fileno()]
            return [(std.SOL_SOCKET, std.SCM_RIGHTS, array.array("i", [s.fileno()]))]
        if name == "usock":
            a, b = mod.socketpair()
            self.keep(a)
            self.keep(b)
            self.note_sock(a, "usock")
            a.settimeout(TIMEOUT)
            b.sendall(b"data!")
            wait_readable(a)
            return a
        if name in ("file", "textfile", "emptyfile"):
            path = os.path.join(self.tmp, name)
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(b"" if name == "emptyfile" else bytes(range(256)) * 40)
            return self.keep(open(path, "r" if name == "textfile" else "rb"))  # noqa: SIM115
        if name == "bytesio":
            return io.BytesIO(b"in memory " * 100)
        raise ValueError(name)

    def build(self, value):
        if isinstance(value, Tok):
            return self.token(value.name)
        if isinstance(value, V):
            obj = value.build()
            self.mutables.append(obj)
            return obj
        if isinstance(value, tuple):
            return tuple(self.build(v) for v in value)
        return value

    def close(self):
        for obj in reversed(self.closers):
            try:
                obj.close()
            except Exception:
                pass
        self.closers.clear()


# --- outcomes ---------------------------------------------------------------

HEX = re.compile(r"0x[0-9a-fA-F]+")
NULL_RETURN = re.compile(r"<built-in function \w+> returned NULL without setting an exception")
SOCK_CLASSES = (std.socket,)


def is_socket(obj):
    return type(obj).__name__ in ("socket", "SocketType") and hasattr(obj, "recv_into")


class Normaliser:
    def __init__(self, env, fn):
        self.env = env
        self.fn = fn

    def text(self, s):
        # CPython words a NULL-without-exception return two ways, by whether
        # the calling bytecode is specialised yet: the same error.
        s = NULL_RETURN.sub("error return without exception set", s)
        s = HEX.sub("0x?", s)
        s = s.replace(self.env.tmp, "<tmp>")
        s = re.sub(r"fd=\d+", "fd=?", s)
        s = s.replace("<socket.socket", "<MOD.socket").replace("<rnet.socket", "<MOD.socket")
        for port, tok in self.env.ports.items():
            s = re.sub(rf"\b{port}\b", tok, s)
        s = re.sub(r"\b(\d{5})\b", lambda m: "<port>" if int(m.group(1)) > 32767 else m.group(1), s)
        return s

    def value(self, v, depth=0, fds=True):
        if depth > 6:
            return "..."
        if is_socket(v):
            try:
                desc = ("socket", int(v.family), int(v.type), v.proto, v.gettimeout())
            finally:
                try:
                    v.close()
                except Exception:
                    pass
            return desc
        if isinstance(v, (io.IOBase, io.TextIOWrapper)):
            desc = ("file", type(v).__name__, getattr(v, "mode", None))
            try:
                v.close()
            except Exception:
                pass
            return desc
        if isinstance(v, bool) or v is None or isinstance(v, float):
            return repr(v)
        if isinstance(v, int):
            if fds and self.fn in ("fileno", "detach", "dup"):
                if v in self.env.fds:
                    return self.env.fds[v]
                if v >= 0:
                    if self.fn in ("detach", "dup"):
                        try:
                            os.close(v)
                        except OSError:
                            pass
                    return "<fd:new>"
            return repr(v)
        if isinstance(v, str):
            return repr(self.text(v))
        if isinstance(v, bytes):
            if v.startswith(b"\x00") and len(v) == 6:
                return "<autobind>"
            return repr(v)
        if isinstance(v, tuple):
            items = [self.value(x, depth + 1) for x in v]
            if len(v) >= 2 and isinstance(v[0], str) and isinstance(v[1], int) and v[1] > 0:
                items[1] = self.env.ports.get(v[1], "<port>" if v[1] >= 1024 else repr(v[1]))
            return "(" + ", ".join(items) + ")"
        if isinstance(v, list):
            return "[" + ", ".join(self.value(x, depth + 1) for x in v) + "]"
        return self.text(repr(v))

    def exception(self, exc):
        args = "(" + ", ".join(self.value(a, fds=False) for a in exc.args) + ")"
        return ("raise", type(exc).__name__, getattr(exc, "errno", None), self.text(str(exc)), args)


WRITABLE = (bytearray, memoryview, array.array)


def flat(values):
    for v in values:
        if isinstance(v, (list, tuple)):
            yield from v
        else:
            yield v


def past_the_buffer(case, args, result):
    """With MSG_TRUNC, recv/recvfrom return the datagram's full length, of which
    only bufsize bytes are data (and on a stream socket none): CPython leaves
    the rest uninitialised (its bytes vary run to run), rnet zeros it. Only
    the length compares (data is compared by every call without MSG_TRUNC)."""
    fn = case["fn"]
    if fn not in ("recv", "recvfrom", "recvmsg") or len(args) < (3 if fn == "recvmsg" else 2):
        return result
    try:
        operator.index(args[0])
        flags = operator.index(args[-1])
    except TypeError:
        return result
    if not flags & std.MSG_TRUNC:
        return result
    data = result[0] if isinstance(result, tuple) else result
    if isinstance(data, bytes):
        # On a stream socket MSG_TRUNC discards the data: none of it is defined.
        data = b"?" * len(data)
    return (data, *result[1:]) if isinstance(result, tuple) else data


_CALLERS = {}


def direct_call(fn, nargs, kwnames):
    """``lambda t, a, k: t.fn(a[0], ..., name=k['name'])``: the call written
    out, as programs write it. CPython words some errors by call path (a
    bound method called with ``**kwargs`` names itself ``listen()``, written
    out ``socket.listen()``), so the fuzzer takes the common one."""
    key = (fn, nargs, kwnames)
    if key not in _CALLERS:
        parts = [f"a[{i}]" for i in range(nargs)] + [f"{n}=k[{n!r}]" for n in kwnames]
        _CALLERS[key] = eval(f"lambda t, a, k: t.{fn}({', '.join(parts)})")  # noqa: S307
    return _CALLERS[key]


def run_one(mod, case, tmp):
    """The normalised outcome of `case` on `mod`."""
    env = Env(mod, tmp)
    saved = mod.getdefaulttimeout()
    try:
        try:
            if case["kind"]:
                target = env.fixture(case["kind"])
                fn = case["fn"]
            else:
                target = None
            args = [env.build(a) for a in case["args"]]
            kwargs = {k: env.build(v) for k, v in case["kwargs"].items()}
        except Exception as exc:  # a fixture failed: report it as the outcome
            return ("fixture", type(exc).__name__, str(exc))
        norm = Normaliser(env, case["fn"])
        try:
            fn = case["fn"]
            if fn.startswith("attr:"):
                result = getattr(target, fn[5:])
            else:
                result = direct_call(fn, len(args), tuple(kwargs))(
                    mod if target is None else target, args, kwargs
                )
            if target is not None and result is target:
                result = "<self>"
            result = past_the_buffer(case, args, result)
            out = ("ok", norm.value(result))
        except Exception as exc:
            out = norm.exception(exc)
        after = [norm.value(bytes(m)) for m in flat(env.mutables) if isinstance(m, WRITABLE)]
        return out + (tuple(after),) if after else out
    finally:
        mod.setdefaulttimeout(saved)
        env.close()


TYPE_ERROR_ARITY_STD = re.compile(
    r"takes (no|exactly|at least|at most|from) |expected (at most |at least )?\d+ argument|"
    r"required (positional )?argument|keyword argument|positional argument|"
    r"got multiple values|takes \d+ positional"
)
PYO3_ARITY = re.compile(
    r"missing \d+ required (positional|keyword) argument|takes (from )?\d+ (to \d+ )?"
    r"positional arguments? but \d+ (was|were) given|got an unexpected keyword argument|"
    r"got multiple values for argument|positional-only arguments passed as keyword|"
    r"missing required keyword"
)


def classify(std_out, rnet_out):
    if std_out == rnet_out:
        return "same"
    if (
        std_out[:2] == ("raise", "TypeError")
        and rnet_out[:2] == ("raise", "TypeError")
        and TYPE_ERROR_ARITY_STD.search(std_out[3])
        and PYO3_ARITY.search(rnet_out[3])
    ):
        return "arity"
    return "diff"


# --- hermeticity guard -------------------------------------------------------

GUARD = {"count": 0, "last": None}


def _host_ok(host, family, reverse=False):
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("latin-1")
    if not isinstance(host, str):
        return True
    if reverse:
        # Names /etc/hosts lists resolve to 127.0.0.1, whose reverse it lists too.
        return host in ("127.0.0.1", *NAMES) or "\x00" in host or len(host) > 63
    if host in ("", "<broadcast>", "255.255.255.255") or "\x00" in host:
        return True
    if any(len(label) > 63 for label in host.split(".")) or not host.isascii():
        return True
    if ":" in host:  # only an AF_INET lookup of it goes past the numeric parse
        return family != std.AF_INET
    if host[0].isdigit():
        return family != std.AF_INET6
    # Families other than AF_UNSPEC, AF_INET, AF_INET6 fail before a lookup.
    return host in NAMES and family != std.AF_INET6


def guard(event, args):
    """Counts (and records) calls that could leave loopback or ask DNS."""
    try:
        ok = True
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"):
            sock, addr = args[0], args[1]
            fam = sock.family
            if fam in (std.AF_INET, std.AF_INET6) and isinstance(addr, tuple) and addr:
                host = addr[0]
                ok = _host_ok(host, fam)
                if event != "socket.bind" and host in ("<broadcast>", "255.255.255.255"):
                    ok = False
        elif event == "socket.getaddrinfo":
            host = args[0]
            if isinstance(host, str):
                host = host.split("\x00", 1)[0]  # what the resolver sees
            ok = _host_ok(host, args[2] if isinstance(args[2], int) else 0)
        elif event == "socket.gethostbyname":
            ok = _host_ok(args[0], std.AF_INET)
        elif event == "socket.gethostbyaddr":
            ok = _host_ok(args[0], 0, reverse=True)
        elif event == "socket.getnameinfo":
            sa, flags = args[0], args[1]
            if isinstance(sa, tuple) and sa and isinstance(flags, int):
                if not flags & std.NI_NUMERICHOST:
                    ok = _host_ok(sa[0], 0, reverse=True)
        if not ok:
            GUARD["count"] += 1
            GUARD["last"] = f"{event} {args!r}"
    except Exception:
        pass


# --- child: run a range of cases -------------------------------------------


def child(seed, start, count, out):
    import rnet

    warnings.simplefilter("ignore")
    sys.addaudithook(guard)
    tmp = tempfile.mkdtemp(prefix="rnet-fuzz-")
    os.chdir(tmp)  # relative AF_UNIX paths land here
    mods = (std, rnet)
    for i in range(start, start + count):
        case = make_case(seed, i)
        guarded = GUARD["count"]
        outs = []
        for mod in mods:
            sub = os.path.join(tmp, mod.__name__)
            os.makedirs(sub, exist_ok=True)
            for name in os.listdir(sub):
                try:
                    os.unlink(os.path.join(sub, name))
                except OSError:
                    pass
            os.chdir(sub)
            outs.append(run_one(mod, case, sub))
            os.chdir(tmp)
        # The tmp dirs differ per module: normalise their names.
        outs = [
            repr(o).replace(os.path.join(tmp, m.__name__), "<tmp>")
            for o, m in zip(outs, mods, strict=True)
        ]
        cat = classify(*[eval_outcome(o) for o in outs])
        rec = {"i": i, "fn": case["fn"], "kind": case["kind"], "cat": cat}
        if GUARD["count"] != guarded:
            rec["guard"] = GUARD["last"]
            rec["call"] = describe(case)
        if cat != "same":
            rec.update(call=describe(case), std=outs[0], rnet=outs[1])
        out.write(json.dumps(rec) + "\n")
        out.flush()


def eval_outcome(text):
    """The outcome tuple back from its repr (its fields are reprs of simple values)."""
    import ast

    try:
        return ast.literal_eval(text)
    except Exception:
        return (text,)


# --- parent: batches in subprocesses -----------------------------------------


def run_campaign(seed, cases, batch=2000, start=0, case_timeout=10.0, log=None):
    """Run `cases` cases in subprocess batches; return (Counter, records)."""
    stats = Counter()
    records = []
    i = start
    end = start + cases
    while i < end:
        n = min(batch, end - i)
        cmd = [sys.executable, os.path.abspath(__file__), "--child", "--seed", str(seed),
               "--start", str(i), "--count", str(n)]  # fmt: skip
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
            last = i - 1
            buf = ""
            deadline = time.monotonic() + case_timeout
            hung = False
            while True:
                ready, _, _ = select.select([proc.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(proc.stdout.fileno(), 65536).decode()
                    if not chunk:
                        break
                    buf += chunk
                    *lines, buf = buf.split("\n")
                    for line in lines:
                        rec = json.loads(line)
                        last = rec["i"]
                        stats[rec["cat"]] += 1
                        stats["cases"] += 1
                        if "guard" in rec:
                            stats["guard"] += 1
                        if rec["cat"] != "same" or "guard" in rec:
                            records.append(rec)
                    deadline = time.monotonic() + case_timeout
                elif time.monotonic() > deadline:
                    hung = True
                    os.kill(proc.pid, signal.SIGKILL)
                    break
            rc = proc.wait()
            proc.stdout.close()
            if last < i + n - 1:  # the case after the last reported one died
                bad = last + 1
                err.seek(0)
                tail = err.read().decode(errors="replace")[-2000:]
                case = make_case(seed, bad)
                kind = "hang" if hung else "crash"
                stats[kind] += 1
                stats["cases"] += 1
                records.append(
                    {"i": bad, "fn": case["fn"], "kind": case["kind"], "cat": kind,
                     "call": describe(case), "rc": rc, "stderr": tail}
                )  # fmt: skip
                i = bad + 1
            else:
                i += n
        if log:
            log(stats)
    return stats, records


def signature(rec):
    """Groups differences by callable and the two exception classes."""

    def head(o):
        t = eval_outcome(o)
        return "/".join(str(x) for x in t[:3]) if t and t[0] == "raise" else str(t[0])

    if rec["cat"] in ("crash", "hang"):
        return (rec["cat"], rec["fn"], "", "")
    if "std" not in rec:
        return ("guard", rec["fn"], rec.get("guard", ""), "")
    return (rec["cat"], rec["fn"], head(rec["std"]), head(rec["rnet"]))


def report(stats, records, out=sys.stdout, top=25):
    total = stats["cases"]
    arity = stats["arity"]
    beyond = total - arity
    same = stats["same"]
    pct = 100.0 * same / beyond if beyond else 100.0
    print(f"cases:            {total}", file=out)
    print(f"identical:        {same} ({100.0 * same / max(total, 1):.3f} % of all)", file=out)
    print(f"arity wording:    {arity} (PyO3's, kept)", file=out)
    print(f"differences:      {stats['diff']}", file=out)
    print(f"identical beyond arity wording: {pct:.3f} %", file=out)
    print(
        f"crashes: {stats['crash']}  hangs: {stats['hang']}  guard trips: {stats['guard']}",
        file=out,
    )
    groups = Counter(signature(r) for r in records if r["cat"] != "arity")
    examples = {}
    for r in records:
        examples.setdefault(signature(r), r)
    if groups:
        print(f"\ntop differences (of {len(groups)} groups):", file=out)
    for sig, n in groups.most_common(top):
        ex = examples[sig]
        print(f"{n:6d}  {ex['call']}", file=out)
        if "guard" in ex:
            print(f"        guard: {ex['guard']}", file=out)
        if "std" in ex:
            print(f"        stdlib: {ex['std']}\n        rnet:   {ex['rnet']}", file=out)
        elif ex["cat"] in ("crash", "hang"):
            print(f"        {ex['cat']} rc={ex.get('rc')} {ex.get('stderr', '')[-300:]}", file=out)
    return pct


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--case", type=int, default=None, help="run one case and show it")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="write the non-identical records here")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)
    if a.child:
        child(a.seed, a.start, a.count, sys.stdout)
        return 0
    if a.case is not None:
        case = make_case(a.seed, a.case)
        print(describe(case))
        stats, records = run_campaign(a.seed, 1, start=a.case)
        for r in records:
            print(f"  {r['cat']}\n  stdlib: {r.get('std')}\n  rnet:   {r.get('rnet')}")
        if not records:
            print("  same")
        return 0
    t0 = time.monotonic()
    stats, records = run_campaign(a.seed, a.cases, a.batch, a.start)
    report(stats, records, top=a.top)
    print(f"\n{time.monotonic() - t0:.1f} s, seed {a.seed}", file=sys.stdout)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(records, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
