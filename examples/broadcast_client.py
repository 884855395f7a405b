"""The lecture's broadcast client, on rnet: one datagram to every host, print the replies.

The lecture's ``client("<broadcast>", 12345)`` with ``import rnet as socket`` where it
has ``import socket``: set SO_BROADCAST, send ``'Broadcast datagram!'`` to the
broadcast address, then print each reply (udp_server.py answers 'replay from
server'; run it with HOST '' so it hears broadcasts).

Usage: python broadcast_client.py [NETWORK [PORT]] [--timeout SECONDS] [--count N]

NETWORK and PORT also come from RNET_HOST and RNET_PORT (defaults: the lecture's
'<broadcast>' and 12345; '<broadcast>' is 255.255.255.255, which leaves the machine:
on one computer use the loopback broadcast address 127.255.255.255). The client
listens for replies for --timeout seconds (default 2) or until it has N replies, so
it never hangs; it exits with status 1 if nobody answered. Output, one line each:

    sent 'Broadcast datagram!' to 127.255.255.255:12345
    received 'replay from server' from 127.0.0.1:12345
    1 reply
"""

import argparse
import os
import sys
import time

import rnet as socket

MESSAGE = "Broadcast datagram!"


def client(network, port, timeout=2.0, count=0):
    """Broadcast MESSAGE to (network, port); return the replies as (text, address)."""
    replies = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.sendto(MESSAGE.encode("ascii"), (network, port))
        print(f"sent {MESSAGE!r} to {network}:{port}", flush=True)
        deadline = time.monotonic() + timeout
        while count <= 0 or len(replies) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                data, address = sock.recvfrom(1024)
            except TimeoutError:
                break
            text = data.decode(errors="replace")
            print(f"received {text!r} from {address[0]}:{address[1]}", flush=True)
            replies.append((text, address))
    print(f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}", flush=True)
    return replies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", nargs="?", default=os.environ.get("RNET_HOST", "<broadcast>"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 12345))
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args(argv)
    replies = client(args.network, int(args.port), args.timeout, args.count)
    return 0 if replies else 1


if __name__ == "__main__":
    sys.exit(main())
