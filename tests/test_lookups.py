"""Host, service and protocol lookups: rnet answers and fails as the stdlib does.

Every name looked up here is in /etc/hosts (localhost, vm, this machine's own
name), a numeric address, or a service or protocol of /etc/services and
/etc/protocols: the machine's DNS server is off the machine, so nothing here
may reach it. Lookups that would (unknown names, reverse lookups of addresses
outside /etc/hosts, malformed addresses) are in test_dns_netns.py, inside a
network namespace with a DNS server of the test's own.
"""

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import rnet

from diff import outcome, same
from helpers import LOCAL_NAME

HOSTNAME = LOCAL_NAME  # a name /etc/hosts answers for
MACHINE_NAME = os.uname().nodename


def call(name, *args, **kwargs):
    """A body that calls `mod.name(*args, **kwargs)`."""
    return lambda mod: getattr(mod, name)(*args, **kwargs)


def ids(case):
    return repr(case)[:60]


HOST_ARGS = [
    ("localhost",),
    (LOCAL_NAME,),
    (HOSTNAME,),
    (b"localhost",),
    (bytearray(LOCAL_NAME.encode()),),
    ("127.0.0.1",),
    ("127.1",),
    ("0x7f.1",),
    ("127.0.0.01",),
    ("255.255.255.255",),
    ("0.0.0.0",),
    (None,),
    (1,),
    (1.5,),
    (memoryview(b"localhost"),),
    (["localhost"],),
    ("a\0b",),
    (b"a\0b",),
    (bytearray(b"a\0"),),
    ("\udcff",),
    ("\u00e9" + "a" * 70,),
    ("a..b",),
    ("x" * 300,),
    (),
    ("localhost", LOCAL_NAME),
]


@pytest.mark.parametrize("args", HOST_ARGS + [("",), ("<broadcast>",)], ids=ids)
def test_gethostbyname(args):
    same(call("gethostbyname", *args))


def test_gethostbyname_special_names():
    assert rnet.gethostbyname("") == "0.0.0.0"
    assert rnet.gethostbyname("<broadcast>") == "255.255.255.255"


def test_gethostbyname_keyword():
    same(call("gethostbyname", host="localhost"))


# "0x7f.1" is numeric to getaddrinfo but not to gethostbyname_r, which asks
# DNS for it: that case is in test_dns_netns.py.
@pytest.mark.parametrize(
    "args", [a for a in HOST_ARGS if a != ("0x7f.1",)] + [("1.2.3.4",)], ids=ids
)
def test_gethostbyname_ex(args):
    same(call("gethostbyname_ex", *args))


@pytest.mark.parametrize(
    "args", [a for a in HOST_ARGS if a[:1] not in [("255.255.255.255",), ("0.0.0.0",)]], ids=ids
)
def test_gethostbyaddr(args):
    same(call("gethostbyaddr", *args))


@pytest.mark.parametrize(
    "name",
    ["", "localhost", " localhost ", "127.0.0.1", "0.0.0.0", LOCAL_NAME, None, b"localhost"],
    ids=ids,
)
def test_getfqdn(name):
    same(call("getfqdn", name))


def test_getfqdn_default():
    same(call("getfqdn"))


@pytest.mark.parametrize("args", [(), (1,)], ids=ids)
def test_gethostname(args):
    same(call("gethostname", *args))


def test_gethostname_keyword():
    same(call("gethostname", x=1))


SERVBYNAME = [
    ("domain",),
    ("domain", "udp"),
    ("http", "tcp"),
    ("ssh",),
    ("nope",),
    ("",),
    ("http", "nope"),
    (b"http",),
    ("http", None),
    (None,),
    (1, 1),
    ("a\0",),
    ("http", "a\0"),
    ("\udcff",),
    (),
    ("a", "b", "c"),
]


@pytest.mark.parametrize("args", SERVBYNAME, ids=ids)
def test_getservbyname(args):
    same(call("getservbyname", *args))


SERVBYPORT = [
    (53,),
    (53, "udp"),
    (80,),
    (22, "tcp"),
    (True,),
    (socket.SOCK_STREAM,),
    (0,),
    (65000,),
    (53, "nope"),
    (-1,),
    (65536,),
    (2**31,),
    (-(2**31) - 1,),
    (2**70,),
    (-(2**70),),
    ("53",),
    (53.0,),
    (None,),
    (53, None),
    (53, b"tcp"),
    (53, "a\0"),
    (70000, 1),
    (),
    (53, "tcp", 1),
]


@pytest.mark.parametrize("args", SERVBYPORT, ids=ids)
def test_getservbyport(args):
    same(call("getservbyport", *args))


@pytest.mark.parametrize(
    "args",
    [
        ("tcp",),
        ("udp",),
        ("icmp",),
        ("TCP",),
        ("ipv6",),
        ("nope",),
        ("",),
        (None,),
        (b"tcp",),
        ("a\0",),
        (),
        ("tcp", "udp"),
    ],
    ids=ids,
)
def test_getprotobyname(args):
    same(call("getprotobyname", *args))


@pytest.mark.parametrize("name", ["getservbyname", "getservbyport", "getprotobyname"])
def test_service_keywords(name):
    same(call(name, "x", proto="tcp"))


def test_lecture_answers():
    assert rnet.getservbyname("domain") == 53
    assert rnet.getservbyport(53) == "domain"
    assert rnet.getprotobyname("tcp") == 6


ADDRINFO = [
    (None, 80),
    (None, "http"),
    (None, None),
    (None, 0),
    (None, 80, 0, 0, 0, socket.AI_PASSIVE),
    ("localhost", 80),
    ("localhost", "http"),
    (b"localhost", b"http"),
    (LOCAL_NAME, 22, socket.AF_INET, socket.SOCK_STREAM),
    (HOSTNAME, 80),
    ("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM),
    ("::1", 80),
    ("::1", 80, socket.AF_INET),
    ("localhost", 80, 0, socket.SOCK_STREAM, 0, socket.AI_CANONNAME),
    ("localhost", 80, 0, 0, 0, socket.AI_NUMERICHOST),
    ("127.0.0.1", "http", 0, 0, 0, socket.AI_NUMERICSERV),
    ("127.0.0.1", 80, 99),
    ("127.0.0.1", 80, 0, 99),
    ("127.0.0.1", 80, 0, 0, 99),
    ("127.0.0.1", 80, 0, 0, 0, -1),
    ("127.0.0.1", 80, socket.AF_INET, socket.SOCK_RAW),
    ("127.0.0.1", -1),
    ("127.0.0.1", 65536),
    ("127.0.0.1", -(2**63)),
    ("127.0.0.1", 2**70),
    ("127.0.0.1", True),
    ("127.0.0.1", socket.AF_INET),
    ("127.0.0.1", 1.5),
    ("127.0.0.1", []),
    ("127.0.0.1", bytearray(b"80")),
    ("127.0.0.1", "a\0"),
    ("127.0.0.1", b"a\0"),
    ("127.0.0.1", "\udcff"),
    ("127.0.0.1", "nope"),
    ("fe80::1%1", 80),
    (1, 80),
    (bytearray(b"localhost"), 80),
    ("\udcff", 80),
    ("127.0.0.1", 80, 2**40),
    ("127.0.0.1", 80, "x"),
    ("127.0.0.1", 80, 1.5),
    (1, 1.5, "x"),
    (),
    ("x",),
    ("x", 1, 0, 0, 0, 0, 0),
]


@pytest.mark.parametrize("args", ADDRINFO, ids=ids)
def test_getaddrinfo(args):
    same(call("getaddrinfo", *args))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(
            host="127.0.0.1",
            port=80,
            family=socket.AF_INET,
            type=socket.SOCK_DGRAM,
            proto=0,
            flags=0,
        ),
        dict(host="localhost", port="http", type=socket.SOCK_STREAM),
        dict(host="x", port=1, foo=1),
    ],
    ids=ids,
)
def test_getaddrinfo_keywords(kwargs):
    same(call("getaddrinfo", **kwargs))


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.getaddrinfo("127.0.0.1", 80, None, m.SOCK_STREAM),
        lambda m: m.getaddrinfo("127.0.0.1", 80, flags=None),
        lambda m: m.getaddrinfo("127.0.0.1", 80, type=None),
    ],
)
def test_getaddrinfo_argument_types(call):
    same(call)


def test_getaddrinfo_duplicate_keyword():
    same(call("getaddrinfo", "x", 1, host="y"))


def test_getaddrinfo_enums():
    """Family and type are the stdlib's own enum members; proto is a plain int."""
    for family, kind, proto, _, _ in rnet.getaddrinfo("localhost", 80):
        assert type(family) is socket.AddressFamily
        assert type(kind) is socket.SocketKind
        assert type(proto) is int


NAMEINFO = [
    (("127.0.0.1", 80), 0),
    (("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV),
    (("127.0.0.1", 53), socket.NI_DGRAM),
    (("127.0.0.1", 80), socket.NI_NAMEREQD),
    (("127.0.0.1", 0), 0),
    (("127.0.0.1", 65000), 0),
    (("127.0.0.1", 70000), socket.NI_NUMERICSERV),
    (("127.0.0.1", -1), socket.NI_NUMERICSERV),
    (("::1", 80, 0, 0), socket.NI_NUMERICHOST),
    (("::1", 80), socket.NI_NUMERICHOST),
    (("::ffff:127.0.0.1", 80), socket.NI_NUMERICHOST),
    (("fe80::1", 80, 0, 1), socket.NI_NUMERICHOST),
    (("fe80::1", 80, 0, 2**32 + 1), socket.NI_NUMERICHOST),
    (("::1", 80, 2**20, 0), 0),
    (("::1", 80, 2**32, 0), socket.NI_NUMERICHOST),
    (("::1", 80, -1, 0), 0),
    (("::1", 80, 2**70), socket.NI_NUMERICHOST),
    (("::1", 80, 1.5), 0),
    (("::1", 80, "1"), 0),
    (("::1", 80, 0, 1.5), 0),
    (("127.0.0.1", 80, 0), 0),
    (("127.0.0.1", 80, 0, 0), 0),
    (["127.0.0.1", 80], 0),
    (None, 0),
    (("127.0.0.1",), 0),
    (("::1", 80, 0, 0, 0), 0),
    (("127.0.0.1", "80"), 0),
    (("127.0.0.1", 1.5), 0),
    (("127.0.0.1", 2**31), 0),
    (("127.0.0.1", -(2**31) - 1), 0),
    (("127.0.0.1", 2**70), 0),
    ((b"127.0.0.1", 80), 0),
    ((None, 80), 0),
    ((1, 80), 0),
    (("127.0.0.1\0", 80), 0),
    (("\udcff", 80), 0),
    (("localhost", 80), 0),
    (("", 80), 0),
    (("127.0.0.1", 80), "0"),
    (("127.0.0.1", 80), 2**40),
    (("127.0.0.1", 80), -1),
    (("127.0.0.1", 80), None),
    (("127.0.0.1", 80),),
    (),
]


@pytest.mark.parametrize("args", NAMEINFO, ids=ids)
def test_getnameinfo(args):
    same(call("getnameinfo", *args))


def test_getnameinfo_keywords():
    same(call("getnameinfo", sockaddr=("127.0.0.1", 80), flags=0))


def test_getnameinfo_tuple_subclass():
    pair = type("Pair", (tuple,), {})(("127.0.0.1", 80))
    same(call("getnameinfo", pair, 0))


@pytest.mark.parametrize(
    "name",
    [
        "gethostname",
        "sethostname",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "getservbyname",
        "getservbyport",
        "getprotobyname",
        "getnameinfo",
    ],
)
def test_docstring_signature(name):
    """help() shows the same call signature line as the stdlib."""
    ours = getattr(rnet, name)
    assert ours.__doc__.splitlines()[0] == getattr(socket, name).__doc__.splitlines()[0]
    assert ours.__text_signature__ is None


def test_lookups_and_conversions_are_stdlib_names():
    # rnet.__all__ is made from these tables, so only the stdlib can tell a
    # misspelt or invented name.
    names = [*rnet._LOOKUPS, *rnet._CONVERSIONS]
    assert [n for n in names if not hasattr(socket, n)] == []


# --- audit events ------------------------------------------------------------

AUDIT_BODY = """
import sys
import {mod} as m
events = []
sys.addaudithook(lambda e, a: events.append((e, a)) if e.startswith("socket.") else None)
calls = [
    lambda: m.gethostname(),
    lambda: m.gethostbyname("localhost"),
    lambda: m.gethostbyname(b"localhost"),
    lambda: m.gethostbyname(None),
    lambda: m.gethostbyname_ex("localhost"),
    lambda: m.gethostbyaddr("127.0.0.1"),
    lambda: m.getservbyname("http"),
    lambda: m.getservbyname("domain", "udp"),
    lambda: m.getservbyport(80),
    lambda: m.getservbyport(53, "udp"),
    lambda: m.getservbyport(70000),
    lambda: m.getprotobyname("tcp"),
    lambda: m.getaddrinfo("localhost", 80, 0, m.SOCK_STREAM, 0, m.AI_CANONNAME),
    lambda: m.getaddrinfo(b"localhost", b"http"),
    lambda: m.getaddrinfo("localhost", 1.5),
    lambda: m.getnameinfo(("127.0.0.1", 80), 0),
    lambda: m.getnameinfo(("::1", 80, 2**20), 0),
    lambda: m.getfqdn(),
    lambda: m.sethostname("x" * 100),
    lambda: m.inet_aton("1.2.3.4"),
]
for c in calls:
    try:
        c()
    except Exception:
        pass
    events.append("--")
print(repr(events))
"""


def run_python(code, timeout=20):
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
    )


def test_audit_events():
    """The same sys.audit events, with the same arguments, in the same order.

    sethostname is called with a name too long for the kernel, so it fails
    after its audit event without touching the machine's name.
    """
    results = {}
    for mod in ("socket", "rnet"):
        done = run_python(AUDIT_BODY.format(mod=mod))
        assert done.returncode == 0, done.stderr
        results[mod] = done.stdout
    assert results["rnet"] == results["socket"]
    assert "socket.getaddrinfo" in results["rnet"]


def test_audit_hook_can_block_lookup():
    code = textwrap.dedent(
        """
        import sys, rnet
        def hook(event, args):
            if event == "socket.gethostbyname":
                raise PermissionError("blocked " + repr(args))
        sys.addaudithook(hook)
        try:
            rnet.gethostbyname("localhost")
        except PermissionError as exc:
            print(exc)
        """
    )
    done = run_python(code)
    assert done.stdout.strip() == "blocked ('localhost',)", done.stderr


# --- sethostname, in a UTS namespace of its own --------------------------------

SETHOSTNAME_BODY = """
import pathlib, socket, sys
import rnet
sys.path.insert(0, {tests!r})
from diff import outcome
cases = [("rnet-test",), (b"bytes-name",), (b"a\\0",), (pathlib.Path("pathname"),),
         ("x" * 100,), (1,), (None,), (bytearray(b"x"),), ("a\\0",), ("\\ud800",), (), ("a", "b")]
for args in cases:
    got = []
    for mod in (socket, rnet):
        got.append(outcome(lambda: mod.sethostname(*args)))
        got.append(socket.gethostname())
    print(repr(args), got[:2] == got[2:], got)
"""


def test_sethostname():
    """Changes the host name only inside `unshare --uts`, never the machine's."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) for a private UTS namespace")
    code = SETHOSTNAME_BODY.format(tests=os.path.dirname(__file__))
    done = subprocess.run(
        ["unshare", "--uts", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"cannot create a UTS namespace: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 12
    for line in lines:
        assert " True " in line, line
    assert socket.gethostname() == MACHINE_NAME


# --- many threads at once ------------------------------------------------------

SERVICE_QUERIES = [
    ("getservbyname", ("domain",)),
    ("getservbyname", ("http", "tcp")),
    ("getservbyname", ("ssh",)),
    ("getservbyname", ("ntp", "udp")),
    ("getservbyname", ("nope",)),
    ("getservbyport", (53,)),
    ("getservbyport", (80, "tcp")),
    ("getservbyport", (22,)),
    ("getservbyport", (123, "udp")),
    ("getservbyport", (65000,)),
    ("getprotobyname", ("tcp",)),
    ("getprotobyname", ("udp",)),
    ("getprotobyname", ("icmp",)),
    ("getprotobyname", ("nope",)),
]


def test_service_lookups_from_many_threads():
    """8 threads ask different questions at once; each gets its own answer.

    The expected answers are the stdlib's, asked one at a time first. Each
    thread walks the queries from its own offset so that different questions
    are in flight together; iterations and time are both bounded.
    """
    expected = [outcome(lambda q=q: getattr(socket, q[0])(*q[1])) for q in SERVICE_QUERIES]
    threads, rounds, deadline = 8, 30, time.monotonic() + 60
    start = threading.Barrier(threads, timeout=30)
    wrong, asked = [], [0] * threads

    def worker(index):
        start.wait()
        for n in range(rounds * len(SERVICE_QUERIES)):
            if time.monotonic() > deadline:
                return
            i = (index + n) % len(SERVICE_QUERIES)
            name, args = SERVICE_QUERIES[i]
            got = outcome(lambda name=name, args=args: getattr(rnet, name)(*args))
            asked[index] += 1
            if got != expected[i]:
                wrong.append((name, args, got, expected[i]))

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=90)
    assert not any(t.is_alive() for t in pool)
    assert wrong == []
    assert sum(asked) == threads * rounds * len(SERVICE_QUERIES)


# --- the lecture's program -------------------------------------------------------


def test_lookup_example_matches_stdlib():
    if MACHINE_NAME != LOCAL_NAME:
        pytest.skip(f"{MACHINE_NAME!r} is not in /etc/hosts; resolving it would ask DNS")
    path = os.path.join(os.path.dirname(__file__), "..", "examples", "lookup.py")
    with open(path) as f:
        source = f.read()
    assert "from rnet import *" in source
    on_rnet = run_python(source)
    on_stdlib = run_python(source.replace("from rnet import *", "from socket import *"))
    assert on_rnet.returncode == 0, on_rnet.stderr
    assert on_stdlib.returncode == 0, on_stdlib.stderr
    assert on_rnet.stdout == on_stdlib.stdout
    assert "53" in on_rnet.stdout and "domain" in on_rnet.stdout


FORK_BODY = """
import os, signal, sys, threading, rnet
rnet.getservbyname("domain")  # the parent's resolver helpers now exist
stop = threading.Event()
def hammer():
    for _ in range(100_000):
        if stop.is_set():
            return
        rnet.getservbyname("domain")
worker = threading.Thread(target=hammer)
worker.start()
try:
    for _ in range(20):
        pid = os.fork()
        if pid == 0:
            signal.alarm(10)  # a child stuck on the parent's pool dies instead
            ok = rnet.getservbyname("domain") == 53 and rnet.getprotobyname("tcp") == 6
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            sys.exit(f"child failed: status {status}")
finally:
    stop.set()
    worker.join(30)
print("ok")
"""


def test_lookups_work_in_fork_children_while_threads_look_up():
    done = run_python(FORK_BODY, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
