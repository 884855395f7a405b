"""A multicast sender, on rnet: send datagrams to a group, for every host that joined it.

Every --interval seconds it sends ``multicast N from HOSTNAME`` to the group
address, until it has sent --count datagrams (or on Ctrl-C / SIGTERM). Only
hosts whose multicast_receiver.py joined the group get them.

Usage: python multicast_sender.py [GROUP [PORT]] [--iface ADDRESS] [--ttl N]
                                  [--interval SECONDS] [--count N]

GROUP and PORT also come from RNET_GROUP and RNET_PORT (defaults 224.1.1.1 and
5007). --iface sets IP_MULTICAST_IF, the local address whose interface sends
(default: the routing table decides); --ttl sets IP_MULTICAST_TTL (default 1:
the datagrams stay on the local network). --count defaults to 1 (0: for ever),
--interval to 1 s. Output, one line each:

    sending to group 224.1.1.1:5007
    sent 'multicast 1 from myhost'
    multicast sender stopped after 1 datagram(s)
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
    parser.add_argument("group", nargs="?", default=os.environ.get("RNET_GROUP", "224.1.1.1"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 5007))
    parser.add_argument("--iface", default=None)
    parser.add_argument("--ttl", type=int, default=1)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args(argv)
    address = (args.group, int(args.port))
    signal.signal(signal.SIGTERM, stop)
    sent = 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, args.ttl)
        if args.iface:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.iface))
        print(f"sending to group {address[0]}:{address[1]}", flush=True)
        while args.count <= 0 or sent < args.count:
            if sent:
                time.sleep(args.interval)
            text = f"multicast {sent + 1} from {socket.gethostname()}"
            sock.sendto(text.encode(), address)
            sent += 1
            print(f"sent {text!r}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        print(f"multicast sender stopped after {sent} datagram(s)", flush=True)


if __name__ == "__main__":
    main()
