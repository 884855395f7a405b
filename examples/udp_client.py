"""The lecture's UDP client, on rnet: send one datagram, print the answer.

The lecture's program with ``import rnet as socket`` where it has ``import socket``.
It sends ``'hello my first udp program'`` to the server at ``(gethostname(), 12345)``
and prints the reply and who sent it.

Usage: python udp_client.py [HOST [PORT]] [--timeout SECONDS]

HOST and PORT also come from RNET_HOST and RNET_PORT (defaults: the lecture's
gethostname() and 12345). The client waits at most --timeout seconds (default 5)
for the reply, then says so and exits with status 1. Output, one line each:

    sent 'hello my first udp program' to 127.0.0.1:12345
    received 'replay from server' from 127.0.0.1:12345
"""

import argparse
import os
import sys

import rnet as socket

MESSAGE = "hello my first udp program"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host", nargs="?", default=os.environ.get("RNET_HOST"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 12345))
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    if args.host is None:
        args.host = socket.gethostname()
    args.port = int(args.port)
    return args


def main(argv=None):
    args = parse_args(argv)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(args.timeout)
        s.sendto(MESSAGE.encode(), (args.host, args.port))
        print(f"sent {MESSAGE!r} to {args.host}:{args.port}", flush=True)
        try:
            data, addr = s.recvfrom(1024)
        except TimeoutError:
            print(f"no reply within {args.timeout} s", flush=True)
            return 1
        print(f"received {data.decode(errors='replace')!r} from {addr[0]}:{addr[1]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
