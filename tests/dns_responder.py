"""A tiny DNS server for the network-namespace tests, on 127.0.0.1:53 (UDP).

``nxdomain`` answers every query "no such name"; ``silent`` reads queries and
never answers, so a resolver hangs until its own timeout. Either way it prints
``ready`` once bound and ``query NAME`` for each datagram (flushed), so a test knows
when a client is waiting on it, and it exits by itself after ``--lifetime``
seconds.
"""

import argparse
import socket
import sys
import time

HEADER = 12


def question_end(query: bytes) -> int:
    """Offset just past the first question (labels, then type and class)."""
    pos = HEADER
    while pos < len(query) and query[pos] != 0:
        pos += 1 + query[pos]
    return pos + 1 + 4


def question_name(query: bytes) -> str:
    """The queried name, dotted, for the log."""
    labels, pos = [], HEADER
    while pos < len(query) and query[pos] != 0:
        labels.append(query[pos + 1 : pos + 1 + query[pos]].decode("ascii", "replace"))
        pos += 1 + query[pos]
    return ".".join(labels)


def nxdomain(query: bytes) -> bytes:
    """The query's id and question with QR, AA, RA set and RCODE 3 (NXDOMAIN)."""
    opcode_rd = query[2] & 0x79
    flags = bytes([0x80 | 0x04 | opcode_rd, 0x80 | 0x03])
    counts = b"\x00\x01" + b"\x00\x00" * 3
    return query[:2] + flags + counts + query[HEADER : question_end(query)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["nxdomain", "silent"])
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    deadline = time.monotonic() + args.lifetime
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 53))
        print("ready", flush=True)
        while (left := deadline - time.monotonic()) > 0:
            server.settimeout(left)
            try:
                query, peer = server.recvfrom(4096)
            except TimeoutError:
                break
            print("query", question_name(query), flush=True)
            if args.mode == "nxdomain" and len(query) > HEADER:
                server.sendto(nxdomain(query), peer)
    sys.exit(0)


if __name__ == "__main__":
    main()
