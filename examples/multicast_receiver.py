"""A multicast receiver, on rnet: join a group and print what is sent to it.

It binds ``('', port)``, joins the group with IP_ADD_MEMBERSHIP, the lecture's
``struct.pack('4s4s', inet_aton(group), inet_aton(iface))``, and prints every
datagram with its sender's address. Leaving (IP_DROP_MEMBERSHIP) happens on exit.

Usage: python multicast_receiver.py [GROUP [PORT]] [--iface ADDRESS] [--count N]
                                    [--timeout SECONDS]

GROUP and PORT also come from RNET_GROUP and RNET_PORT (defaults 224.1.1.1 and
5007). --iface is the local address of the interface that joins (default
0.0.0.0: the kernel picks it from the routing table). The receiver stops after N
datagrams (--count or RNET_COUNT; 0, the default, means for ever), after
--timeout seconds without one (default: wait for ever), or on Ctrl-C / SIGTERM.
Output, one line each:

    joined 224.1.1.1 on 0.0.0.0, listening on :5007
    received 'multicast 1 from myhost' from 192.168.1.5:40000
    multicast receiver stopped after 1 datagram(s)
"""

import argparse
import os
import signal
import struct

import rnet as socket


def stop(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", nargs="?", default=os.environ.get("RNET_GROUP", "224.1.1.1"))
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 5007))
    parser.add_argument("--iface", default="0.0.0.0")
    parser.add_argument("--count", type=int, default=int(os.environ.get("RNET_COUNT", "0")))
    parser.add_argument("--timeout", type=float, default=None)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, stop)
    heard = 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("", int(args.port)))
        mreq = struct.pack("4s4s", socket.inet_aton(args.group), socket.inet_aton(args.iface))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
        sock.settimeout(args.timeout)
        port = sock.getsockname()[1]
        print(f"joined {args.group} on {args.iface}, listening on :{port}", flush=True)
        while args.count <= 0 or heard < args.count:
            try:
                data, address = sock.recvfrom(1024)
            except TimeoutError:
                print(f"nothing for {args.timeout} s", flush=True)
                break
            text = data.decode(errors="replace")
            print(f"received {text!r} from {address[0]}:{address[1]}", flush=True)
            heard += 1
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, mreq)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        print(f"multicast receiver stopped after {heard} datagram(s)", flush=True)


if __name__ == "__main__":
    main()
