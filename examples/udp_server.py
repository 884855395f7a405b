"""The lecture's UDP server, on rnet: answer every datagram with 'replay from server'.

The lecture's program with ``import rnet as socket`` where it has ``import socket``.
It binds ``(gethostname(), 12345)``, then loops on ``recvfrom(1024)``, prints what it
got and from whom, and sends ``'replay from server'`` back to the sender.

Usage: python udp_server.py [HOST [PORT]] [--count N]

HOST and PORT also come from RNET_HOST and RNET_PORT (defaults: the lecture's
gethostname() and 12345; HOST '' means every address, PORT 0 a free port). The
server stops after N datagrams (--count or RNET_COUNT; 0, the default, serves for
ever), or on Ctrl-C / SIGTERM. Output, one line each, flushed:

    udp server listening on 127.0.0.1:12345
    received 'hello my first udp program' from 127.0.0.1:40000
    udp server stopped after 1 datagram(s)
"""

import argparse
import os
import signal

import rnet as socket

REPLY = "replay from server"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host", nargs="?", default=os.environ.get("RNET_HOST"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 12345))
    parser.add_argument("--count", type=int, default=int(os.environ.get("RNET_COUNT", "0")))
    args = parser.parse_args(argv)
    if args.host is None:
        args.host = socket.gethostname()
    args.port = int(args.port)
    return args


def stop(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop)
    served = 0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((args.host, args.port))
        host, port = s.getsockname()
        print(f"udp server listening on {host}:{port}", flush=True)
        while args.count <= 0 or served < args.count:
            data, addr = s.recvfrom(1024)
            text = data.decode(errors="replace")
            print(f"received {text!r} from {addr[0]}:{addr[1]}", flush=True)
            s.sendto(REPLY.encode(), addr)
            served += 1
    except KeyboardInterrupt:
        pass
    finally:
        s.close()
        print(f"udp server stopped after {served} datagram(s)", flush=True)


if __name__ == "__main__":
    main()
