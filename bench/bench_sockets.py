#!/usr/bin/env python3
"""Benchmark rnet against the stdlib ``socket`` module, in one run, on loopback.

Every workload runs twice per repetition, once with ``import socket as S`` and
once with ``import rnet as S``, with client and server in two separate
processes that both use the module under test. Runs alternate between the two
modules and are repeated; the table shows the median of the repetitions.

Usage::

    python bench/bench_sockets.py            # full run, a couple of minutes
    python bench/bench_sockets.py --quick    # ~20 s
    python bench/bench_sockets.py --only pingpong --only udp

Not part of the test suite; see bench/README.md for how to read the output.
"""

import argparse
import importlib
import importlib.util
import multiprocessing
import os
import platform
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import traceback

import cbuild

HOST = "127.0.0.1"
MODULES = ("socket", "rnet")  # the stdlib first; the order alternates per repetition

# Safety nets on top of each loop's own count and time bounds.
IO_TIMEOUT = 10.0  # SO_RCVTIMEO/SO_SNDTIMEO: a blocking call that hangs fails instead
START_TIMEOUT = 20.0  # a child's start-up (interpreter, imports, bind)
GRACE = 20.0  # how much longer than its time budget a run may take before it is killed
JOIN_TIMEOUT = 5.0

PINGPONG_BATCH = 100  # round trips between two clock reads
CHURN_BATCH = 50  # connections between two clock reads
SEND_BATCH = 1000  # small sends between two clock reads
BULK_BATCH = 16  # 64 KiB sendall calls between two clock reads
BULK_CHUNK = 64 * 1024
SMALL_MSG = 16
UDP_MSG = 64
DRAIN_BUF = 1024 * 1024  # the receiver's recv_into buffer for the small-send workload


class BenchError(Exception):
    """A run failed: a child raised, died or missed its deadline."""


# --------------------------------------------------------------------------
# Helpers run inside the child processes. `S` is the module under test.
# --------------------------------------------------------------------------


def _import(name, cfg):
    """The module under test, by name: ``import socket as S``, ``import rnet as S``,
    or (``--floor``) the stdlib with thin_binding's hot calls, built into
    ``cfg["thin_dir"]``."""
    if name == "thin":
        sys.path.insert(0, cfg["thin_dir"])
        return importlib.import_module("thin_socket")
    if name not in MODULES:
        raise ValueError(f"unknown module {name!r}")
    return importlib.import_module(name)


def _bound_blocking(S, sock):
    """Let a blocking call give up after IO_TIMEOUT, without leaving blocking mode.

    ``settimeout`` would change the code path being measured (the stdlib polls
    before every call on a socket with a timeout), so the kernel's own
    SO_RCVTIMEO/SO_SNDTIMEO is used: Python still sees a blocking socket, and a
    hung call fails with EAGAIN instead of hanging.
    """
    tv = struct.pack("@ll", int(IO_TIMEOUT), 0)
    sock.setsockopt(S.SOL_SOCKET, S.SO_RCVTIMEO, tv)
    sock.setsockopt(S.SOL_SOCKET, S.SO_SNDTIMEO, tv)


def _tcp_accept(S, cfg, conn, nodelay):
    """Listen on 127.0.0.1, report the port to the parent, accept one client."""
    ls = S.socket(S.AF_INET, S.SOCK_STREAM)
    try:
        ls.setsockopt(S.SOL_SOCKET, S.SO_REUSEADDR, 1)
        ls.bind((HOST, 0))
        ls.listen(1)
        ls.settimeout(START_TIMEOUT)  # the accepted socket is still blocking
        conn.send(("port", ls.getsockname()[1]))
        c, _ = ls.accept()
    finally:
        ls.close()
    if nodelay:
        c.setsockopt(S.IPPROTO_TCP, S.TCP_NODELAY, 1)
    _bound_blocking(S, c)
    if cfg.get("timeout") is not None:
        c.settimeout(cfg["timeout"])
    return c


def _tcp_connect(S, cfg, nodelay):
    s = S.socket(S.AF_INET, S.SOCK_STREAM)
    if nodelay:
        s.setsockopt(S.IPPROTO_TCP, S.TCP_NODELAY, 1)
    _bound_blocking(S, s)
    s.connect((HOST, cfg["port"]))
    if cfg.get("timeout") is not None:
        s.settimeout(cfg["timeout"])
    return s


def _recv_exact(s, n):
    data = b""
    for _ in range(n):  # at most n reads of at least one byte
        if len(data) == n:
            break
        more = s.recv(n - len(data))
        if not more:
            raise BenchError("peer closed early")
        data += more
    return data


def _server_deadline(cfg):
    return time.perf_counter() + cfg["seconds"] + GRACE


# 1. TCP ping-pong ----------------------------------------------------------


def pingpong_server(S, cfg, conn):
    c = _tcp_accept(S, cfg, conn, nodelay=True)
    deadline = _server_deadline(cfg)
    echoed = 0
    with c:
        for i in range(cfg["max_count"] + cfg["warmup"] + 1):
            data = c.recv(1)
            if not data:
                break
            c.send(data)
            echoed += 1
            if not i & 1023 and time.perf_counter() > deadline:
                break
    return {"echoed": echoed}


def pingpong_client(S, cfg):
    s = _tcp_connect(S, cfg, nodelay=True)
    msg = b"x"
    with s:
        for _ in range(cfg["warmup"]):
            s.send(msg)
            s.recv(1)
        n, limit = 0, cfg["max_count"]
        t0 = time.perf_counter()
        deadline = t0 + cfg["seconds"]
        while n < limit:
            for _ in range(PINGPONG_BATCH):
                s.send(msg)
                if not s.recv(1):
                    raise BenchError("server closed early")
            n += PINGPONG_BATCH
            if time.perf_counter() >= deadline:
                break
        elapsed = time.perf_counter() - t0
    return {"count": n, "elapsed": elapsed}


# 2./3. A sender and a receiver that drains into a preallocated buffer -------


def drain_server(S, cfg, conn):
    """Receive with recv_into (or recv) until EOF, then send back the byte count."""
    c = _tcp_accept(S, cfg, conn, nodelay=False)
    view = memoryview(bytearray(cfg["recv_buf"]))
    deadline = _server_deadline(cfg)
    total = 0
    with c:
        if cfg.get("recv"):  # recv(n): a new bytes object per call
            size = cfg["recv_buf"]
            for i in range(cfg["max_recvs"]):
                got = len(c.recv(size))
                if not got:
                    break
                total += got
                if not i & 255 and time.perf_counter() > deadline:
                    break
        else:
            for i in range(cfg["max_recvs"]):
                got = c.recv_into(view)
                if not got:
                    break
                total += got
                if not i & 255 and time.perf_counter() > deadline:
                    break
        c.sendall(total.to_bytes(8, "big"))
    return {"received": total}


def bulk_client(S, cfg):
    s = _tcp_connect(S, cfg, nodelay=False)
    chunk = bytes(BULK_CHUNK)
    with s:
        sent, limit = 0, cfg["max_bytes"]
        t0 = time.perf_counter()
        deadline = t0 + cfg["seconds"]
        while sent < limit:
            for _ in range(BULK_BATCH):
                s.sendall(chunk)
            sent += BULK_BATCH * BULK_CHUNK
            if time.perf_counter() >= deadline:
                break
        s.shutdown(S.SHUT_WR)
        # The clock stops when the server has every byte, not when the last
        # one left this process's socket buffer.
        received = int.from_bytes(_recv_exact(s, 8), "big")
        elapsed = time.perf_counter() - t0
    if received != sent:
        raise BenchError(f"server received {received} bytes of {sent}")
    return {"count": sent, "elapsed": elapsed}


def small_send_client(S, cfg):
    s = _tcp_connect(S, cfg, nodelay=False)
    msg = b"m" * SMALL_MSG
    with s:
        if cfg.get("cork"):
            # Full segments only: each send() is then little more than a copy
            # into the socket buffer, so the per-call overhead stands out.
            s.setsockopt(S.IPPROTO_TCP, S.TCP_CORK, 1)
        sent = 0
        for _ in range(cfg["warmup"]):
            sent += s.send(msg)
        n, limit = 0, cfg["max_count"]
        t0 = time.perf_counter()
        deadline = t0 + cfg["seconds"]
        while n < limit:
            for _ in range(SEND_BATCH):
                s.send(msg)
            n += SEND_BATCH
            if time.perf_counter() >= deadline:
                break
        elapsed = time.perf_counter() - t0  # the send calls only, not the drain
        if cfg.get("cork"):
            s.setsockopt(S.IPPROTO_TCP, S.TCP_CORK, 0)
        s.shutdown(S.SHUT_WR)
        received = int.from_bytes(_recv_exact(s, 8), "big")
    expected = sent + n * SMALL_MSG
    if received != expected:  # a blocking send() on TCP sends all 16 bytes
        raise BenchError(f"server received {received} bytes of {expected}")
    return {"count": n, "elapsed": elapsed}


# 4. Connection churn: connect, accept, close ---------------------------------


def churn_server(S, cfg, conn):
    """Accept and close until the client has been gone for two seconds.

    The listener stays blocking for Python (the accept path under test); the
    kernel's SO_RCVTIMEO ends an accept that waits longer, which marks the end
    (longer than a SYN's 1 s retry, should the backlog ever overflow).
    """
    ls = S.socket(S.AF_INET, S.SOCK_STREAM)
    accepted = 0
    with ls:
        ls.setsockopt(S.SOL_SOCKET, S.SO_REUSEADDR, 1)
        ls.setsockopt(S.SOL_SOCKET, S.SO_RCVTIMEO, struct.pack("@ll", 2, 0))
        ls.bind((HOST, 0))
        ls.listen(4096)  # the client may run ahead of the server on one CPU
        conn.send(("port", ls.getsockname()[1]))
        started = time.perf_counter()
        for _ in range(cfg["max_count"] + cfg["warmup"] + 1):
            try:
                c, _ = ls.accept()
            except BlockingIOError:
                if accepted or time.perf_counter() - started > START_TIMEOUT:
                    break
                continue
            c.close()
            accepted += 1
    return {"accepted": accepted}


def churn_client(S, cfg):
    addr = (HOST, cfg["port"])
    for _ in range(cfg["warmup"]):
        c = S.socket(S.AF_INET, S.SOCK_STREAM)
        c.connect(addr)
        c.close()
    n, limit = 0, cfg["max_count"]
    t0 = time.perf_counter()
    deadline = t0 + cfg["seconds"]
    while n < limit:
        for _ in range(CHURN_BATCH):
            c = S.socket(S.AF_INET, S.SOCK_STREAM)
            c.connect(addr)
            c.close()
        n += CHURN_BATCH
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - t0
    return {"count": n, "elapsed": elapsed}


# 5. UDP ping-pong ------------------------------------------------------------


def udp_server(S, cfg, conn):
    s = S.socket(S.AF_INET, S.SOCK_DGRAM)
    echoed = 0
    with s:
        s.bind((HOST, 0))
        _bound_blocking(S, s)
        conn.send(("port", s.getsockname()[1]))
        deadline = _server_deadline(cfg)
        for i in range(cfg["max_count"] + cfg["warmup"] + 1):
            data, addr = s.recvfrom(2048)
            if len(data) != UDP_MSG:  # the client's 1-byte stop datagram
                break
            s.sendto(data, addr)
            echoed += 1
            if not i & 1023 and time.perf_counter() > deadline:
                break
    return {"echoed": echoed}


def udp_client(S, cfg):
    s = S.socket(S.AF_INET, S.SOCK_DGRAM)
    addr = (HOST, cfg["port"])
    msg = bytes(UDP_MSG)
    with s:
        _bound_blocking(S, s)  # a lost datagram fails the run instead of hanging it
        for _ in range(cfg["warmup"]):
            s.sendto(msg, addr)
            s.recvfrom(2048)
        n, limit = 0, cfg["max_count"]
        t0 = time.perf_counter()
        deadline = t0 + cfg["seconds"]
        while n < limit:
            for _ in range(PINGPONG_BATCH):
                s.sendto(msg, addr)
                data, _ = s.recvfrom(2048)
            n += PINGPONG_BATCH
            if time.perf_counter() >= deadline:
                break
        elapsed = time.perf_counter() - t0
        s.sendto(b"!", addr)
    return {"count": n, "elapsed": elapsed}


# --------------------------------------------------------------------------
# Workload table. `value` turns the client's result into the reported figure;
# `higher` says whether a bigger figure is better (rates) or worse (costs).
# --------------------------------------------------------------------------


def _rate(r):
    return r["count"] / r["elapsed"]


def _mbps(r):
    return r["count"] / r["elapsed"] / 1e6


def _ns_per_call(r):
    return r["elapsed"] / r["count"] * 1e9


WORKLOADS = {
    "pingpong": dict(
        label="TCP ping-pong 1 B, NODELAY",
        unit="round trips/s",
        higher=True,
        server=pingpong_server,
        client=pingpong_client,
        value=_rate,
        cfg=dict(max_count=5_000_000, warmup=500),
    ),
    "pingpong_timeout": dict(
        label="TCP ping-pong, settimeout(30)",
        unit="round trips/s",
        higher=True,
        server=pingpong_server,
        client=pingpong_client,
        value=_rate,
        cfg=dict(max_count=5_000_000, warmup=500, timeout=30.0),
    ),
    "bulk": dict(
        label="TCP bulk sendall 64 KiB",
        unit="MB/s",
        higher=True,
        server=drain_server,
        client=bulk_client,
        value=_mbps,
        cfg=dict(max_bytes=64 * 1024**3, recv_buf=BULK_CHUNK, max_recvs=10**8),
    ),
    "bulk_recv": dict(
        label="TCP bulk, receiver recv(64 KiB)",
        unit="MB/s",
        higher=True,
        server=drain_server,
        client=bulk_client,
        value=_mbps,
        cfg=dict(max_bytes=64 * 1024**3, recv_buf=BULK_CHUNK, max_recvs=10**8, recv=True),
    ),
    "small_send": dict(
        label="TCP send() of 16 B",
        unit="ns/call",
        higher=False,
        server=drain_server,
        client=small_send_client,
        value=_ns_per_call,
        cfg=dict(max_count=50_000_000, warmup=2000, recv_buf=DRAIN_BUF, max_recvs=10**8),
    ),
    "small_send_cork": dict(
        label="TCP send() of 16 B, TCP_CORK",
        unit="ns/call",
        higher=False,
        server=drain_server,
        client=small_send_client,
        value=_ns_per_call,
        cfg=dict(max_count=50_000_000, warmup=2000, recv_buf=DRAIN_BUF, max_recvs=10**8, cork=True),
    ),
    "churn": dict(
        label="TCP socket+connect+close, accept+close",
        unit="connections/s",
        higher=True,
        server=churn_server,
        client=churn_client,
        value=_rate,
        # Bounded below the ephemeral ports a run can leave in TIME_WAIT.
        cfg=dict(max_count=20_000, warmup=200),
    ),
    "udp": dict(
        label="UDP ping-pong 64 B",
        unit="round trips/s",
        higher=True,
        server=udp_server,
        client=udp_client,
        value=_rate,
        cfg=dict(max_count=5_000_000, warmup=500),
    ),
}


def _child(role, workload, module, cfg, conn):
    """Entry point of a server or client process: run, report, exit."""
    try:
        cpus = cfg.get("cpus")
        if cpus:
            os.sched_setaffinity(0, {cpus[0] if role == "server" else cpus[-1]})
        S = _import(module, cfg)
        spec = WORKLOADS[workload]
        if role == "server":
            result = spec["server"](S, cfg, conn)
        else:
            result = spec["client"](S, cfg)
        conn.send(("ok", result))
    except BaseException:
        try:
            conn.send(("error", f"{role} ({module}): {traceback.format_exc()}"))
        except OSError:
            pass
    finally:
        conn.close()


# --------------------------------------------------------------------------
# Parent: start, watch and reap the two processes of one run.
# --------------------------------------------------------------------------


def _expect(conn, tag, timeout, who):
    if not conn.poll(timeout):
        raise BenchError(f"{who}: no answer within {timeout:.0f} s")
    try:
        got, payload = conn.recv()
    except EOFError:
        raise BenchError(f"{who}: process died without a report") from None
    if got == "error":
        raise BenchError(payload)
    if got != tag:
        raise BenchError(f"{who}: expected {tag!r}, got {got!r}")
    return payload


def _reap(proc):
    """Join; then SIGTERM, then SIGKILL, by this process's own PID."""
    if proc.pid is None:
        return
    proc.join(JOIN_TIMEOUT)
    if proc.is_alive():
        proc.terminate()
        proc.join(JOIN_TIMEOUT)
    if proc.is_alive():
        proc.kill()
        proc.join(JOIN_TIMEOUT)


def run_once(ctx, workload, module, cfg):
    """One measurement of one workload on one module; returns the figure."""
    spec = WORKLOADS[workload]
    procs = []
    conns = []
    try:
        srv_parent, srv_child = ctx.Pipe()
        conns += [srv_parent, srv_child]
        server = ctx.Process(
            target=_child,
            args=("server", workload, module, cfg, srv_child),
            name=f"bench-{workload}-{module}-server",
            daemon=True,
        )
        procs.append(server)
        server.start()
        srv_child.close()
        port = _expect(srv_parent, "port", START_TIMEOUT, "server")

        cli_parent, cli_child = ctx.Pipe()
        conns += [cli_parent, cli_child]
        client = ctx.Process(
            target=_child,
            args=("client", workload, module, dict(cfg, port=port), cli_child),
            name=f"bench-{workload}-{module}-client",
            daemon=True,
        )
        procs.append(client)
        client.start()
        cli_child.close()
        budget = START_TIMEOUT + cfg["seconds"] + GRACE
        result = _expect(cli_parent, "ok", budget, "client")
        _expect(srv_parent, "ok", GRACE, "server")
        return spec["value"](result)
    finally:
        for proc in reversed(procs):
            _reap(proc)
        for conn in conns:
            conn.close()


# The workloads that also run as C loops (bench/sockets_floor.c: the rate no
# binding can exceed) and on thin_binding.c (the most a binding called from
# Python can reach).
FLOOR_WORKLOADS = ("pingpong", "small_send", "udp", "churn")


def run_floor(exe, workload, seconds, pin):
    """One run of the C loop, client and server on the CPUs given (or free)."""

    def confine():
        if pin:
            os.sched_setaffinity(0, set(pin))

    out = subprocess.run(
        [exe, workload, str(seconds)],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT + seconds + GRACE,
        preexec_fn=confine,
        check=False,
    )
    if out.returncode != 0:
        raise BenchError(f"C floor {workload}: {out.stderr.strip()}")
    return float(out.stdout)


def _fmt(value):
    if value is None:
        return "fail"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _ratio(value, std, higher):
    """Oriented so that > 1 means faster than the stdlib."""
    if not (std and value):
        return None
    return value / std if higher else std / value


def _r(ratio):
    return "n/a" if ratio is None else f"{ratio:.2f}"


def _spread(values):
    """Largest (max - min) / median among the two modules' repetitions, in %."""
    out = 0.0
    for vals in values:
        if len(vals) > 1:
            out = max(out, (max(vals) - min(vals)) / statistics.median(vals) * 100)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, 3 repetitions (~20 s)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(WORKLOADS),
        metavar="NAME",
        help=f"run only this workload (repeatable): {', '.join(WORKLOADS)}",
    )
    parser.add_argument("--reps", type=int, help="repetitions per module (default 5, quick 3)")
    parser.add_argument(
        "--seconds", type=float, help="timed seconds per run (default 1.0, quick 0.25)"
    )
    parser.add_argument(
        "--best",
        action="store_true",
        help="report the best repetition instead of the median",
    )
    parser.add_argument(
        "--pin",
        choices=("same", "split", "none"),
        default="same",
        help="CPU affinity of client and server: both on one CPU (default, steadiest), "
        "one CPU each, or left to the scheduler",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also run pingpong, small_send, udp and churn as C loops and on the "
        "thinnest binding (needs cc and Python.h): C/std and thin/std bound what "
        "any binding can gain",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every repetition")
    args = parser.parse_args(argv)

    reps = args.reps or (3 if args.quick else 5)
    seconds = args.seconds or (0.25 if args.quick else 1.0)
    names = args.only or list(WORKLOADS)
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters, nothing inherited
    cpus = sorted(os.sched_getaffinity(0))
    if args.pin == "same" or (args.pin == "split" and len(cpus) < 2):
        pin = [cpus[-1]]
    elif args.pin == "split":
        pin = cpus[-2:]
    else:
        pin = None

    spec = importlib.util.find_spec("rnet")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; rnet from {spec.origin if spec else 'NOT FOUND'}"
    )
    print(
        f"{len(names)} workload(s), {reps} repetition(s) per module, {seconds:g} s each, "
        f"stdlib/rnet order alternating; figures are the "
        f"{'best' if args.best else 'median'} repetition; "
        f"client and server pinned: {args.pin} {pin or ''}."
    )
    print(
        "ratio > 1 means rnet is faster: rnet/stdlib for rates and throughputs, "
        "stdlib/rnet for ns per call."
    )
    print()

    rows = []
    t_start = time.perf_counter()
    tmp = tempfile.TemporaryDirectory()
    floor = cbuild.build("sockets_floor", tmp.name) if args.floor else None
    thin = args.floor and cbuild.build_extension("thin_binding", tmp.name)
    if args.floor and floor is None:
        print("(no C compiler: --floor skipped)")
    elif args.floor and not thin:
        print("(no Python.h: the thin binding is skipped)")
    for name in names:
        spec_w = WORKLOADS[name]
        cfg = dict(spec_w["cfg"], seconds=seconds, cpus=pin, thin_dir=tmp.name)
        modules = MODULES + (("thin",) if thin and name in FLOOR_WORKLOADS else ())
        modules += ("C",) if floor and name in FLOOR_WORKLOADS else ()
        results = {m: [] for m in modules}
        for rep in range(reps):
            order = modules if rep % 2 == 0 else modules[::-1]
            for module in order:
                try:
                    if module == "C":
                        value = run_floor(floor, name, seconds, pin)
                    else:
                        value = run_once(ctx, name, module, cfg)
                except BenchError as exc:
                    print(f"  {name} [{module}] rep {rep + 1} FAILED: {exc}", file=sys.stderr)
                    continue
                results[module].append(value)
                if args.verbose:
                    print(f"  {name:16} {module:6} rep {rep + 1}: {_fmt(value)} {spec_w['unit']}")
                else:
                    print(".", end="", file=sys.stderr, flush=True)
        if args.best:
            pick = max if spec_w["higher"] else min
        else:
            pick = statistics.median
        std = pick(results["socket"]) if results["socket"] else None
        rn = pick(results["rnet"]) if results["rnet"] else None
        c = pick(results["C"]) if results.get("C") else None
        th = pick(results["thin"]) if results.get("thin") else None

        rows.append(
            (
                spec_w["label"],
                std,
                rn,
                _ratio(rn, std, spec_w["higher"]),
                spec_w["unit"],
                _spread([results["socket"], results["rnet"]]),
                th,
                _ratio(th, std, spec_w["higher"]),
                c,
                _ratio(c, std, spec_w["higher"]),
            )
        )
    tmp.cleanup()
    if not args.verbose:
        print(file=sys.stderr)

    header = ("workload", "stdlib", "rnet", "ratio", "unit", "spread")
    if floor:
        header += ("thin", "thin/std", "C", "C/std")
    w0 = max(len(header[0]), *(len(r[0]) for r in rows))
    line = f"{{:<{w0}}} | {{:>12}} | {{:>12}} | {{:>6}} | {{:<14}} | {{:>6}}"
    if floor:
        line += " | {:>12} | {:>8} | {:>12} | {:>6}"
    print(line.format(*header))
    print("-" * len(line.format(*header)))
    for label, std, rn, ratio, unit, spread, th, th_ratio, c, c_ratio in rows:
        cells = [label, _fmt(std), _fmt(rn), _r(ratio), unit, f"{spread:.0f}%"]
        if floor:
            for value, value_ratio in ((th, th_ratio), (c, c_ratio)):
                cells += ["", ""] if value is None else [_fmt(value), _r(value_ratio)]
        print(line.format(*cells))
    print()
    print(
        "spread: largest (max - min) / median over one module's repetitions; "
        "ratios within it are noise."
    )
    if floor:
        print(
            "thin/std: the same Python loops on the thinnest binding (thin_binding.c), "
            "the ceiling of any binding's ratio;\n"
            "C/std: the loops in C, with no interpreter at all."
        )
    print(f"total time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
