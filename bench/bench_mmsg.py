#!/usr/bin/env python3
"""Batched UDP: rnet's sendmmsg/recvmmsg and GSO/GRO against the stdlib's
one-datagram-per-call loop, in one run, on loopback.

Usage::

    python bench/bench_mmsg.py                  # ~30 s
    taskset -c 0 python bench/bench_mmsg.py     # both ends on one CPU
    python bench/bench_mmsg.py --quick -v
    python bench/bench_mmsg.py --floor          # also the same loop in C (needs cc)

Each workload moves datagrams from one UDP socket to another in the same
process, a batch at a time: send a batch, then receive it all. One process
and one batch in flight keep the receive queue far below its limit, so no
datagram is dropped (a drop fails the run rather than skewing it) and the
figure is a rate of datagrams delivered end to end, system calls included.

- ``batch64``: 64-byte datagrams, 64 per batch. The stdlib: 64 ``send`` on
  a connected socket, then 64 ``recvfrom(2048)``. rnet: one ``sendmmsg`` of
  the 64, one ``recvmmsg(64, 2048)``.
- ``gso40``: 1400-byte datagrams, 40 per batch. The stdlib: 40 ``send`` and
  40 ``recvfrom``. rnet: ``UDP_SEGMENT`` = 1400 and one ``send`` of the 40
  segments (56 000 bytes), received by ``recvmmsg(64, 2048)``.
- ``gso40_gro``: the same send, received with ``UDP_GRO`` on: one
  ``recvmsg`` gets the 40 segments back in one buffer, with their size in a
  control message (what QUIC stacks such as quinn-udp do).

The table shows datagrams/s (median of the repetitions, stdlib and rnet
alternating) and the ratio rnet/stdlib, so ratio > 1 means rnet is faster.
Also printed for batch64, measured in the same rotation, is rnet's own
one-datagram loop, to show how much of the gain is the batching rather than
the binding, and with ``--floor`` the same loop written in C
(bench/mmsg_floor.c): the rate no binding can exceed.
"""

import argparse
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import cbuild

import rnet

HOST = "127.0.0.1"
IO_TIMEOUT = 10.0  # a lost datagram fails the run instead of hanging it
MAX_BATCHES = 10_000_000  # a count bound on top of the time bound


def pair(mod):
    """A connected sender and its receiver, both with a timeout safety net."""
    rx = mod.socket(mod.AF_INET, mod.SOCK_DGRAM)
    tx = mod.socket(mod.AF_INET, mod.SOCK_DGRAM)
    rx.bind((HOST, 0))
    rx.setsockopt(mod.SOL_SOCKET, mod.SO_RCVBUF, 1 << 20)
    tx.connect(rx.getsockname())
    # SO_RCVTIMEO rather than settimeout: the sockets stay in blocking mode,
    # the path being measured, and a hung receive fails with EAGAIN.
    tv = struct.pack("@ll", int(IO_TIMEOUT), 0)
    rx.setsockopt(mod.SOL_SOCKET, mod.SO_RCVTIMEO, tv)
    return tx, rx


def loop_one_by_one(mod, size, batch):
    """The stdlib way: one send per datagram, then one recvfrom per datagram."""
    tx, rx = pair(mod)
    msg = b"x" * size
    send, recvfrom = tx.send, rx.recvfrom

    def run_batch():
        for _ in range(batch):
            send(msg)
        for _ in range(batch):
            if len(recvfrom(2048)[0]) != size:
                raise RuntimeError("short datagram")
        return batch

    return run_batch, (tx, rx)


def loop_mmsg(size, batch):
    tx, rx = pair(rnet)
    msgs = [b"x" * size] * batch

    def run_batch():
        if tx.sendmmsg(msgs) != batch:
            raise RuntimeError("partial sendmmsg")
        got = 0
        while got < batch:
            got += len(rx.recvmmsg(batch, 2048))
        return got

    return run_batch, (tx, rx)


def loop_gso(size, batch, gro):
    tx, rx = pair(rnet)
    tx.setsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT, size)
    data = b"x" * (size * batch)
    if gro:
        rx.setsockopt(rnet.SOL_UDP, rnet.UDP_GRO, 1)
    ancsize = rnet.CMSG_SPACE(4)

    def run_batch():
        tx.send(data)
        got = 0
        while got < batch:
            if gro:
                buf, anc, _, _ = rx.recvmsg(65536, ancsize)
                seg = struct.unpack("=i", anc[0][2])[0] if anc else len(buf)
                got += -(-len(buf) // seg)
            else:
                got += len(rx.recvmmsg(64, 2048))
        return got

    return run_batch, (tx, rx)


def measure(make, seconds):
    """Datagrams per second of `make()`'s batch loop over about `seconds`."""
    run_batch, socks = make()
    try:
        for _ in range(20):  # warm-up
            run_batch()
        done, batches = 0, 0
        start = time.perf_counter()
        deadline = start + seconds
        while batches < MAX_BATCHES:
            for _ in range(10):
                done += run_batch()
            batches += 10
            if time.perf_counter() >= deadline:
                break
        return done / (time.perf_counter() - start)
    finally:
        for s in socks:
            s.close()


def rnet_one_by_one():
    return loop_one_by_one(rnet, 64, 64)


WORKLOADS = {
    "batch64": (
        "64 B x 64: sendmmsg+recvmmsg",
        lambda: loop_one_by_one(socket, 64, 64),
        lambda: loop_mmsg(64, 64),
    ),
    "gso40": (
        "1400 B x 40: GSO send+recvmmsg",
        lambda: loop_one_by_one(socket, 1400, 40),
        lambda: loop_gso(1400, 40, gro=False),
    ),
    "gso40_gro": (
        "1400 B x 40: GSO send+GRO recvmsg",
        lambda: loop_one_by_one(socket, 1400, 40),
        lambda: loop_gso(1400, 40, gro=True),
    ),
}


def c_floor(tmp):
    """A function running bench/mmsg_floor.c (the batch64 loop in C, built in
    `tmp`) that returns its two rates, or None without a C compiler."""
    exe = cbuild.build("mmsg_floor", tmp)
    if exe is None:
        return None

    def run():
        out = subprocess.run([exe], check=True, timeout=60, capture_output=True, text=True)
        return {
            name: float(rate)
            for name, rate in (line.split() for line in out.stdout.split("\n") if line)
        }

    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="0.25 s per run, 3 repetitions")
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--only", action="append", choices=list(WORKLOADS))
    ap.add_argument("--floor", action="store_true", help="also run the C loop (needs cc)")
    ap.add_argument("-v", action="store_true", help="print every repetition")
    args = ap.parse_args()
    reps = args.reps or (3 if args.quick else 5)
    seconds = args.seconds or (0.25 if args.quick else 1.0)
    names = args.only or list(WORKLOADS)
    affinity = sorted(os.sched_getaffinity(0))
    print(f"python {sys.version.split()[0]}, CPUs {affinity}, {reps} x {seconds} s per module")
    with tempfile.TemporaryDirectory() as tmp:
        floor = c_floor(tmp) if args.floor else None
        if args.floor and floor is None:
            print("(no C compiler: --floor skipped)")
        rows, extra = [], {}
        for name in names:
            label, std_make, rnet_make = WORKLOADS[name]
            variants = [
                ("stdlib", lambda make=std_make: measure(make, seconds)),
                ("rnet", lambda make=rnet_make: measure(make, seconds)),
            ]
            if name == "batch64":
                # rnet's own one-by-one loop, and the C floor, in the same
                # rotation, so a change of the machine's load hits all alike.
                variants.append(("rnet loop", lambda: measure(rnet_one_by_one, seconds)))
                if floor is not None:
                    variants.append(("C", floor))
            results = {variant: [] for variant, _ in variants}
            for rep in range(reps):
                turn = rep % len(variants)
                for variant, rate_of in variants[turn:] + variants[:turn]:
                    rate = rate_of()
                    results[variant].append(rate)
                    if args.v:
                        shown = rate if isinstance(rate, dict) else f"{rate:,.0f}"
                        print(f"  {name} {variant} rep {rep}: {shown} datagrams/s", flush=True)
            std, ours = (statistics.median(results[m]) for m in ("stdlib", "rnet"))
            rows.append((label, std, ours))
            if name == "batch64":
                extra["rnet loop"] = statistics.median(results["rnet loop"])
                if "C" in results:
                    for key in ("loop", "mmsg"):
                        extra[f"C {key}"] = statistics.median(r[key] for r in results["C"])
                extra["stdlib"], extra["rnet"] = std, ours
    print(f"{'workload':<36}| {'stdlib':>10} | {'rnet':>10} | {'ratio':>6} | unit")
    for label, std, ours in rows:
        print(f"{label:<36}| {std:>10,.0f} | {ours:>10,.0f} | {ours / std:>6.2f} | datagrams/s")
    if extra:
        print(
            f"64 B x 64, same rotation: rnet send+recvfrom loop {extra['rnet loop']:,.0f}"
            f" ({extra['rnet loop'] / extra['stdlib']:.2f}x the stdlib)"
        )
    if "C mmsg" in extra:
        print(
            f"64 B x 64, same rotation, in C: send+recvfrom {extra['C loop']:,.0f}, "
            f"sendmmsg+recvmmsg {extra['C mmsg']:,.0f} "
            f"({extra['C mmsg'] / extra['stdlib']:.2f}x the stdlib; "
            f"rnet's batched calls reach {extra['rnet'] / extra['C mmsg']:.0%} of it)"
        )


if __name__ == "__main__":
    main()
