"""Task 1's broadcast server, on rnet: announce itself to every host, again and again.

Every --interval seconds it broadcasts ``announcement N from HOSTNAME`` to the
broadcast address, until stopped: after --count announcements, or on Ctrl-C or
SIGTERM. broadcast_listener.py prints what it hears.

Usage: python broadcast_server.py [NETWORK [PORT]] [--interval SECONDS] [--count N]

NETWORK and PORT also come from RNET_HOST and RNET_PORT (defaults: '<broadcast>'
and 12345; '<broadcast>' is 255.255.255.255, which leaves the machine: on one
computer use the loopback broadcast address 127.255.255.255). --interval defaults
to 1 s, --count (or RNET_COUNT) to 0, for ever. Output, one line each:

    broadcasting to 127.255.255.255:12345 every 1.0 s
    sent 'announcement 1 from myhost'
    broadcast server stopped after 1 announcement(s)
"""

import argparse
import os
import signal
import time

import rnet as socket


def stop(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", nargs="?", default=os.environ.get("RNET_HOST", "<broadcast>"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 12345))
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--count", type=int, default=int(os.environ.get("RNET_COUNT", "0")))
    args = parser.parse_args(argv)
    address = (args.network, int(args.port))
    signal.signal(signal.SIGTERM, stop)
    sent = 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        print(f"broadcasting to {address[0]}:{address[1]} every {args.interval} s", flush=True)
        while args.count <= 0 or sent < args.count:
            if sent:
                time.sleep(args.interval)
            text = f"announcement {sent + 1} from {socket.gethostname()}"
            sock.sendto(text.encode(), address)
            sent += 1
            print(f"sent {text!r}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        print(f"broadcast server stopped after {sent} announcement(s)", flush=True)


if __name__ == "__main__":
    main()
