"""Task 1's broadcast listener, on rnet: print every datagram and who sent it.

It binds ``('', port)``, so it hears datagrams sent to any of the host's
addresses and to the broadcast addresses, and prints each one with the sender's
address. Run broadcast_server.py (or broadcast_client.py) on another host.

Usage: python broadcast_listener.py [PORT] [--bind ADDRESS] [--count N] [--timeout SECONDS]

PORT also comes from RNET_PORT (default 12345; 0 picks a free port, printed on the
first line). --bind (or RNET_HOST) replaces '' with another address, such as the
broadcast address itself. The listener stops after N datagrams (--count or
RNET_COUNT; 0, the default, means for ever), after --timeout seconds without a
datagram (default: wait for ever), or on Ctrl-C / SIGTERM. Output, one line each:

    listening on :12345
    received 'announcement 1 from myhost' from 127.0.0.1:40000
    listener stopped after 1 datagram(s)
"""

import argparse
import os
import signal

import rnet as socket


def stop(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", nargs="?", type=int, default=os.environ.get("RNET_PORT", 12345))
    parser.add_argument("--bind", default=os.environ.get("RNET_HOST", ""))
    parser.add_argument("--count", type=int, default=int(os.environ.get("RNET_COUNT", "0")))
    parser.add_argument("--timeout", type=float, default=None)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, stop)
    heard = 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((args.bind, int(args.port)))
        sock.settimeout(args.timeout)
        host, port = sock.getsockname()
        print(f"listening on {args.bind}:{port}", flush=True)
        while args.count <= 0 or heard < args.count:
            try:
                data, address = sock.recvfrom(1024)
            except TimeoutError:
                print(f"nothing for {args.timeout} s", flush=True)
                break
            text = data.decode(errors="replace")
            print(f"received {text!r} from {address[0]}:{address[1]}", flush=True)
            heard += 1
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        print(f"listener stopped after {heard} datagram(s)", flush=True)


if __name__ == "__main__":
    main()
