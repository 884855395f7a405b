"""A thread-per-client echo server on rnet.

The accept loop hands every connection to its own ``threading.Thread``, which
echoes what its client sends until the client closes its side. The server runs
until Ctrl-C (SIGINT) or SIGTERM, or until it has accepted RNET_MAX_CONNECTIONS
connections (then it waits for their threads and exits).

Usage: python threaded_server.py [HOST [PORT]].
Environment: RNET_HOST (used without HOST; default ''), RNET_PORT (11267), RNET_MAX_CONNECTIONS
(default 0: no limit).
"""
# ruff: noqa: F403, F405

import os
import signal
import sys
import threading

from rnet import *

# HOST and PORT: the command line, else RNET_HOST/RNET_PORT, else the slide's.
args = sys.argv[1:]
hostname = args[0] if args else os.environ.get("RNET_HOST", "")  # blank so any address can be used
number = int(args[1] if len(args) > 1 else os.environ.get("RNET_PORT", "11267"))
buffer = 80  # size of the buffer
max_connections = int(os.environ.get("RNET_MAX_CONNECTIONS", "0"))
client_timeout = 60.0  # a silent client cannot hold its thread for ever

# print() writes the text and the newline separately: one lock per line keeps
# the threads' lines whole.
print_lock = threading.Lock()


def say(*args):
    """print(*args), one whole line at a time across threads."""
    with print_lock:
        print(*args, flush=True)


def serve(client, client_address):
    """Echo everything one client sends, until it closes its side."""
    name = threading.current_thread().name
    try:
        with client:
            client.settimeout(client_timeout)
            while True:
                data = client.recv(buffer)
                if not data:
                    break
                say(f"{name} echoes {data!r} to {client_address}")
                client.sendall(data)
    except OSError as exc:
        say(f"{name} gives up on {client_address}: {exc}")


def stop(signum, frame):
    """Make SIGTERM end the accept loop the way Ctrl-C does."""
    raise KeyboardInterrupt


signal.signal(signal.SIGTERM, stop)

server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
# A restarted server can bind again at once, despite connections in TIME_WAIT.
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(server_address)
server.listen(SOMAXCONN)

threads = []
try:
    say("server waits for connections")
    while max_connections <= 0 or len(threads) < max_connections:
        client, client_address = server.accept()
        say("server accepted connection request from ", client_address)
        # daemon: an interrupted server exits without waiting for its clients.
        thread = threading.Thread(target=serve, args=(client, client_address), daemon=True)
        threads.append(thread)  # before start(): a client that got its echo is counted
        thread.start()
    for thread in threads:
        thread.join(client_timeout)
except KeyboardInterrupt:
    say("server interrupted")
finally:
    server.close()
say(f"server stops after {len(threads)} connections")
