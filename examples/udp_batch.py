#!/usr/bin/env python3
"""Batched UDP on rnet (Linux): many datagrams per system call.

    python examples/udp_batch.py recv [HOST] [PORT] [--gro] [--count N]
    python examples/udp_batch.py send HOST PORT [--count N] [--size B] [--gso]

``recv`` binds (HOST, PORT) (default '' and 12346; port 0 picks a free one),
prints ``listening on HOST:PORT``, and receives until it has N datagrams:
with ``recvmmsg`` up to 64 per call, or with ``--gro`` (UDP_GRO) as coalesced
buffers from ``recvmsg``, split at the segment size the kernel reports.

``send`` sends N datagrams of B bytes to (HOST, PORT): with ``sendmmsg``, all
in one call, or with ``--gso`` (UDP_SEGMENT) as one ``send`` of N segments
that the kernel cuts into datagrams of B bytes (N x B must stay under 64 KiB).

Neither is in the stdlib socket module; everything else here is stdlib-shaped.
"""

import argparse
import struct
import sys

import rnet as socket

BATCH = 64  # datagrams per recvmmsg call


def receive(args):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((args.host, args.port))
        sock.settimeout(args.timeout)
        host, port = sock.getsockname()
        print(f"listening on {host}:{port}", flush=True)
        if args.gro:
            sock.setsockopt(socket.SOL_UDP, socket.UDP_GRO, 1)
        got = 0
        while got < args.count:
            if args.gro:
                # One buffer may hold many datagrams of one sender; the
                # (SOL_UDP, UDP_GRO) control message says where to cut it.
                data, ancdata, _, sender = sock.recvmsg(65535, socket.CMSG_SPACE(4))
                size = len(data) or 1
                for level, kind, value in ancdata:
                    if (level, kind) == (socket.SOL_UDP, socket.UDP_GRO):
                        size = struct.unpack("=i", value)[0]
                parts = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
                source = f"{sender[0]}:{sender[1]}"
                print(f"{len(parts)} datagram(s) of up to {size} bytes in one read from {source}")
            else:
                batch = sock.recvmmsg(BATCH, 65535)
                senders = sorted({f"{host}:{port}" for _, (host, port) in batch})
                print(f"{len(batch)} datagram(s) in one recvmmsg from {', '.join(senders)}")
                parts = [data for data, _ in batch]
            got += len(parts)
        print(f"received {got} datagrams")


def send(args):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        payloads = [bytes([65 + i % 26]) * args.size for i in range(args.count)]
        if args.gso:
            sock.connect((args.host, args.port))
            sock.setsockopt(socket.SOL_UDP, socket.UDP_SEGMENT, args.size)
            sent = sock.send(b"".join(payloads))
            print(f"sent {sent // args.size} segments of {args.size} bytes in one send (GSO)")
        else:
            target = (args.host, args.port)
            sent = sock.sendmmsg([(data, target) for data in payloads])
            print(f"sent {sent} datagrams in one sendmmsg")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    roles = parser.add_subparsers(dest="role", required=True)
    recv = roles.add_parser("recv", help="receive datagrams in batches")
    recv.add_argument("host", nargs="?", default="")
    recv.add_argument("port", nargs="?", type=int, default=12346)
    recv.add_argument("--count", type=int, default=40)
    recv.add_argument("--gro", action="store_true", help="coalesce with UDP_GRO")
    recv.add_argument("--timeout", type=float, default=10.0)
    snd = roles.add_parser("send", help="send datagrams in one call")
    snd.add_argument("host")
    snd.add_argument("port", type=int)
    snd.add_argument("--count", type=int, default=40)
    snd.add_argument("--size", type=int, default=1400)
    snd.add_argument("--gso", action="store_true", help="segment in the kernel (UDP_SEGMENT)")
    args = parser.parse_args(argv)
    try:
        (receive if args.role == "recv" else send)(args)
    except TimeoutError:
        print("timed out", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
