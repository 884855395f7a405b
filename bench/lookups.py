#!/usr/bin/env python3
"""Name lookups, rnet against the stdlib, in calls/s from one process.

Every call that looks a name up (and every socket call given a host *name*)
is timed with both modules in the same process, alternating, from the main
thread and from a worker thread, in two CPU shapes:

- ``1cpu``: the process confined to CPU 0 (``taskset -c 0``), where a thread
  hand-over that spins holds the only CPU the other side needs;
- ``2cpu``: the process free to use every CPU it is allowed.

``--busy`` adds ``2cpu+busy``: the same as ``2cpu`` while a spinning process
of its own (pinned to the last CPU, ended by its PID) keeps that CPU busy.

    python bench/lookups.py [--shape 1cpu --shape 2cpu] [--busy] [--clock wall|cpu]

The figure is rnet/stdlib in calls/s (> 1 means rnet is faster): the median
over R pairs of short runs, one of each module back to back, so a passing load
hits both sides of a pair; the stdlib's µs per call (its best run) is given
for scale. Names
come from /etc/hosts only (``localhost``), so nothing leaves the machine.
"""

import argparse
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import timeit

MODULES = ("socket", "rnet")
HERE = os.path.abspath(__file__)


def env(S):
    """Sockets and ports every statement uses, for module S."""
    import socket as std

    sink = S.socket(S.AF_INET, S.SOCK_DGRAM)  # bound, never read: drops are fine
    sink.bind(("127.0.0.1", 0))
    # A bound TCP socket that never listens: connects to it are refused at
    # once, so connect churn needs no peer and no accept.
    closed = S.socket(S.AF_INET, S.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))
    udp = S.socket(S.AF_INET, S.SOCK_DGRAM)
    # A stdlib listener the statement itself accepts from, so connections
    # succeed and never pile up in the backlog.
    listener = std.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return dict(
        S=S,
        udp=udp,
        ls=listener,
        listen_port=listener.getsockname()[1],
        sink_port=sink.getsockname()[1],
        closed_port=closed.getsockname()[1],
        _keep=(sink, closed, udp, listener),
    )


# name -> statement (run with the names of env(S) in scope)
CASES = {
    "getaddrinfo('localhost', 80)": "S.getaddrinfo('localhost', 80)",
    "getaddrinfo(localhost, 80, INET, STREAM)": (
        "S.getaddrinfo('localhost', 80, S.AF_INET, S.SOCK_STREAM)"
    ),
    "getaddrinfo('127.0.0.1', 'domain')": "S.getaddrinfo('127.0.0.1', 'domain')",
    "gethostbyname('localhost')": "S.gethostbyname('localhost')",
    "gethostbyname_ex('localhost')": "S.gethostbyname_ex('localhost')",
    "gethostbyaddr('127.0.0.1')": "S.gethostbyaddr('127.0.0.1')",
    "getnameinfo((127.0.0.1, 53), 0)": "S.getnameinfo(('127.0.0.1', 53), 0)",
    "getservbyname('domain')": "S.getservbyname('domain')",
    "getservbyname('http', 'tcp')": "S.getservbyname('http', 'tcp')",
    "getservbyport(53)": "S.getservbyport(53)",
    "getprotobyname('tcp')": "S.getprotobyname('tcp')",
    "udp.sendto(b'x', (localhost, p))": "udp.sendto(b'x', ('localhost', sink_port))",
    "udp.connect((localhost, p))": "udp.connect(('localhost', sink_port))",
    "socket(); bind((localhost, 0)); close()": (
        "s = S.socket(S.AF_INET, S.SOCK_DGRAM); s.bind(('localhost', 0)); s.close()"
    ),
    "socket(); connect_ex((localhost, p)); close()": (
        "s = S.socket(); s.connect_ex(('localhost', closed_port)); s.close()"
    ),
    "create_connection((localhost, p)); accept; close": (
        "c = S.create_connection(('localhost', listen_port)); a = ls.accept()[0]; "
        "a.close(); c.close()"
    ),
    "create_server((localhost, 0)).close()": "S.create_server(('localhost', 0)).close()",
    # Controls: the same socket calls given a numeric host, which looks
    # nothing up. A gap here is the socket's own cost, not the lookup's.
    "[numeric] udp.sendto(b'x', (127.0.0.1, p))": "udp.sendto(b'x', ('127.0.0.1', sink_port))",
    "[numeric] socket(); connect_ex((127.0.0.1, p)); close()": (
        "s = S.socket(); s.connect_ex(('127.0.0.1', closed_port)); s.close()"
    ),
    "[numeric] udp.connect((127.0.0.1, p))": "udp.connect(('127.0.0.1', sink_port))",
    "[numeric] socket(); bind((127.0.0.1, 0)); close()": (
        "s = S.socket(S.AF_INET, S.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); s.close()"
    ),
    "[numeric] create_connection((127.0.0.1, p)); accept; close": (
        "c = S.create_connection(('127.0.0.1', listen_port)); a = ls.accept()[0]; "
        "a.close(); c.close()"
    ),
}


# Wall time is what a caller waits; the process's CPU time counts every thread
# of this process (a helper's spinning too) but not the time other programs
# on a shared machine take the CPU away.
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def time_case(stmt, glob, seconds, repeat, clock):
    """rnet/stdlib for `stmt`: the median over `repeat` back-to-back pairs of
    runs of about `seconds` each (which module goes first alternates), so a
    load that comes and goes hits both sides of a pair alike. Also each
    module's best calls/s."""
    timers = {m: timeit.Timer(stmt, timer=clock, globals=glob[m]) for m in MODULES}
    # Calibrate once per module: enough calls for about `seconds`, at most 200k.
    counts = {}
    for m in MODULES:
        n, spent = 1, 0.0
        while spent < seconds / 4 and n < 200_000:
            n *= 2
            spent = timers[m].timeit(n)
        counts[m] = max(1, min(200_000, int(n * seconds / max(spent, 1e-9))))
    best = {m: 0.0 for m in MODULES}
    ratios = []
    for rep in range(repeat):
        rate = {}
        for m in MODULES if rep % 2 == 0 else MODULES[::-1]:
            rate[m] = counts[m] / timers[m].timeit(counts[m])
            best[m] = max(best[m], rate[m])
        ratios.append(rate["rnet"] / rate["socket"])
    best["ratio"] = statistics.median(ratios)
    return best


def run_all(cases, seconds, repeat, in_worker, clock):
    """{case: {module: calls/s}} measured on this thread or on a new one."""
    out = {}

    def body():
        glob = {m: env(importlib.import_module(m)) for m in MODULES}
        try:
            for name in cases:
                out[name] = time_case(CASES[name], glob, seconds, repeat, clock)
        finally:
            for g in glob.values():
                for s in g["_keep"]:
                    s.close()

    if in_worker:
        t = threading.Thread(target=body, name="bench-worker")
        t.start()
        t.join()
    else:
        body()
    return out


def child(args):
    """One process of one CPU shape: both threads, printed as JSON."""
    result = {"cpus": len(os.sched_getaffinity(0))}
    clock = CLOCKS[args.clock]
    for where in ("main", "worker"):
        result[where] = run_all(
            args.case or list(CASES), args.seconds, args.repeat, where == "worker", clock
        )
    json.dump(result, sys.stdout)


def spinner(cpu, seconds):
    """A process that keeps `cpu` busy for at most `seconds`."""
    code = (
        f"import os, time\nos.sched_setaffinity(0, {{{cpu}}})\n"
        f"end = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def run_shape(shape, args):
    argv = [
        sys.executable,
        HERE,
        "--child",
        "--seconds",
        str(args.seconds),
        "--repeat",
        str(args.repeat),
        "--clock",
        args.clock,
    ]
    for c in args.case or []:
        argv += ["--case", c]
    cpus = sorted(os.sched_getaffinity(0))
    busy = None
    if shape == "1cpu":
        if shutil.which("taskset"):
            argv = ["taskset", "-c", str(cpus[0])] + argv
        else:
            argv = [
                sys.executable,
                "-c",
                f"import os, sys; os.sched_setaffinity(0, {{{cpus[0]}}}); "
                f"os.execv(sys.executable, {argv!r})",
            ]
    elif shape == "2cpu+busy":
        busy = spinner(cpus[-1], 600)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    if done.returncode != 0:
        sys.exit(f"{shape}: child failed:\n{done.stderr}")
    return json.loads(done.stdout)


CALLGRIND_BODY = """
import importlib, sys, threading
sys.path.insert(0, {here!r})
from lookups import CASES, env
S = importlib.import_module({module!r})
glob = env(S)
code = compile("for _ in range({n}):\\n" + "".join(
    "    " + line + "\\n" for line in CASES[{case!r}].splitlines()), "<bench>", "exec")
if {worker!r}:
    t = threading.Thread(target=exec, args=(code, glob)); t.start(); t.join()
else:
    exec(code, glob)
"""


def instructions(module, case, n, worker):
    """Instructions (valgrind's Ir) of a process running `case` n times."""
    body = CALLGRIND_BODY.format(
        here=os.path.dirname(HERE), module=module, case=case, n=n, worker=worker
    )
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            body,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    for line in done.stderr.splitlines():
        if "refs:" in line:
            return int(line.split()[-1].replace(",", ""))
    sys.exit(f"callgrind failed for {module} {case}:\n{done.stderr[-2000:]}")


def callgrind(args):
    """Instructions per call (from runs of N and 3N calls), stdlib against rnet."""
    n = args.calls
    print(f"instructions per call under callgrind (runs of {n} and {3 * n} calls)")
    print(f"{'call':46} | {'thread':6} | {'stdlib':>9} | {'rnet':>9} | {'std/rnet':>8}")
    print("-" * 90)
    for case in args.case or CASES:
        for worker in (False, True):
            per = {}
            for m in MODULES:
                short = instructions(m, case, n, worker)
                long = instructions(m, case, 3 * n, worker)
                per[m] = (long - short) / (2 * n)
            where = "worker" if worker else "main"
            ratio = per["socket"] / per["rnet"]
            print(
                f"{case:46} | {where:6} | {per['socket']:9.0f} | {per['rnet']:9.0f} | {ratio:8.3f}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.03, help="seconds per timed run")
    parser.add_argument("--repeat", type=int, default=21, help="pairs of runs; the median is kept")
    parser.add_argument(
        "--clock",
        choices=CLOCKS,
        default="wall",
        help="wall: perf_counter; cpu: the process's CPU time (all its threads), "
        "which other programs on a shared machine do not disturb",
    )
    parser.add_argument("--shape", action="append", choices=("1cpu", "2cpu", "2cpu+busy"))
    parser.add_argument("--busy", action="store_true", help="also run 2cpu+busy")
    parser.add_argument("--case", action="append", help="only this case (repeatable)")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="count instructions per call under valgrind instead of timing "
        "(repeatable on a noisy machine; blind to system-call and wait time)",
    )
    parser.add_argument("--calls", type=int, default=300, help="calls per --callgrind run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.callgrind:
        return callgrind(args)
    shapes = args.shape or ["1cpu", "2cpu"] + (["2cpu+busy"] if args.busy else [])
    results = {s: run_shape(s, args) for s in shapes}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    cols = [(s, w) for s in shapes for w in ("main", "worker")]
    head = " | ".join(f"{s + ' ' + w:>15}" for s, w in cols)
    print(
        f"rnet/stdlib calls/s ({args.clock} clock), median of pairs (> 1: rnet faster); "
        f"std µs: {shapes[0]} main"
    )
    print(f"{'call':56} | {'std µs':>6} | {head}")
    print("-" * (68 + 18 * len(cols)))
    worst = {c: float("inf") for c in cols}
    for name in args.case or CASES:
        std = results[shapes[0]]["main"][name]["socket"]
        cells = []
        for s, w in cols:
            r = results[s][w][name]
            ratio = r["ratio"]
            if not name.startswith("[numeric]"):
                worst[(s, w)] = min(worst[(s, w)], ratio)
            cells.append(f"{ratio:15.2f}")
        print(f"{name:56} | {1e6 / std:6.1f} | {' | '.join(cells)}")
    print(f"{'worst lookup':56} | {'':6} | {' | '.join(f'{worst[c]:15.2f}' for c in cols)}")


if __name__ == "__main__":
    main()
