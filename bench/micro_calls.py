#!/usr/bin/env python3
"""Per-call cost of single socket methods, stdlib vs rnet, in one process.

Where bench_sockets.py measures whole workloads between two processes, this
times one call at a time with timeit on sockets of this process (no context
switch, no peer), to show where a difference in per-call overhead comes from.

    python bench/micro_calls.py [--number N] [--repeat R]

Each figure is the best of R timeit repeats, in ns per call; diff = rnet - stdlib
(negative means rnet is cheaper).
"""

import argparse
import importlib
import timeit

MODULES = ("socket", "rnet")
HOST = "127.0.0.1"


def tcp_pair(S):
    """A connected TCP pair on 127.0.0.1 (socketpair() would be AF_UNIX)."""
    ls = S.socket(S.AF_INET, S.SOCK_STREAM)
    ls.bind((HOST, 0))
    ls.listen(1)
    a = S.socket(S.AF_INET, S.SOCK_STREAM)
    a.connect(ls.getsockname())
    b, _ = ls.accept()
    ls.close()
    return a, b


def udp_pair(S):
    a = S.socket(S.AF_INET, S.SOCK_DGRAM)
    b = S.socket(S.AF_INET, S.SOCK_DGRAM)
    a.bind((HOST, 0))
    b.bind((HOST, 0))
    return a, b


def env(S):
    """The namespace every statement runs in."""
    a, b = tcp_pair(S)
    a.setsockopt(S.IPPROTO_TCP, S.TCP_NODELAY, 1)
    ua, ub = udp_pair(S)
    nb = S.socket(S.AF_INET, S.SOCK_DGRAM)  # non-blocking, nothing to read
    nb.bind((HOST, 0))
    nb.setblocking(False)
    sink = S.socket(S.AF_INET, S.SOCK_DGRAM)  # bound, never read: full buffer drops
    sink.bind((HOST, 0))
    buf = bytearray(65536)
    return dict(
        S=S,
        a=a,
        b=b,
        ua=ua,
        ub=ub,
        ub_addr=ub.getsockname(),
        ua_addr=ua.getsockname(),
        sink_addr=sink.getsockname(),
        nb=nb,
        buf=buf,
        view=memoryview(buf),
        m1=b"x",
        m16=b"m" * 16,
        m64=bytes(64),
        big=bytes(65536),
        _keep=(sink,),
    )


# name -> (statement, what it isolates)
CASES = {
    "fileno()": ("a.fileno()", "bare method call, no syscall"),
    "gettimeout()": ("a.gettimeout()", "method returning None"),
    "family": ("a.family", "Python-level property + IntEnum"),
    "getsockname()": ("a.getsockname()", "syscall + address tuple"),
    "send(1)+recv(1)": ("a.send(m1); b.recv(1)", "TCP, data ready, no wait"),
    "send(16)+recv_into": ("a.send(m16); b.recv_into(view)", "TCP, recv_into a memoryview"),
    "sendall(64K)+recv_into": (
        "a.sendall(big); b.recv_into(view)",
        "64 KiB through loopback",
    ),
    "send(64K)+recv(64K)": ("a.send(big); b.recv(65536)", "recv(n) filling all n bytes"),
    "send(16)+recv(64K)": ("a.send(m16); b.recv(65536)", "recv(n) returning far fewer"),
    "sendto(64) dropped": ("ua.sendto(m64, sink_addr)", "UDP send, receiver never reads"),
    "sendto+recvfrom(64)": (
        "ua.sendto(m64, ub_addr); ub.recvfrom(2048)",
        "UDP round: address parse + address tuple",
    ),
    "recv EAGAIN": (
        "try:\n    nb.recv(1)\nexcept BlockingIOError:\n    pass",
        "error path: OSError subclass creation",
    ),
    "socket()+close()": (
        "S.socket(S.AF_INET, S.SOCK_DGRAM).close()",
        "constructor (Python __init__ + core)",
    ),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=20000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=7, help="repeats; the best is kept")
    args = parser.parse_args()

    envs = {name: env(importlib.import_module(name)) for name in MODULES}
    print(f"{'call':24} | {'stdlib ns':>9} | {'rnet ns':>9} | {'diff':>7} | isolates")
    print("-" * 90)
    for case, (stmt, what) in CASES.items():
        best = {m: float("inf") for m in MODULES}
        for rep in range(args.repeat):
            # Alternate which module goes first in each repeat.
            for m in MODULES if rep % 2 == 0 else MODULES[::-1]:
                t = timeit.timeit(stmt, number=args.number, globals=envs[m])
                best[m] = min(best[m], t / args.number * 1e9)
        std, rn = best["socket"], best["rnet"]
        print(f"{case:24} | {std:9.0f} | {rn:9.0f} | {rn - std:+7.0f} | {what}")
    for e in envs.values():
        for k in ("a", "b", "ua", "ub", "nb"):
            e[k].close()
        for s in e["_keep"]:
            s.close()


if __name__ == "__main__":
    main()
