"""``python -m rnet demo``: the lecture's TCP server and client on rnet, both sides shown.

The server runs in a thread, the client in the main thread; each line of the
transcript is labelled with its side. The lines are the lecture's own. The
client closes first, so the TIME_WAIT that a TCP close leaves behind stays on
the client's side and port 11267 is free for the lecture's ``tcp_server.py``
(which sets no SO_REUSEADDR) as soon as the demo ends.
"""

import errno
import threading

import rnet

LECTURE_PORT = 11267
BUFFER = 80  # the lecture's buffer size
DEMO_TIMEOUT = 10.0  # seconds; no socket call or join in the demo waits longer

# ---------------------------------------------------------------------------
# demo


class _Transcript:
    """Labelled, line-at-a-time output shared by the demo's two threads."""

    def __init__(self):
        self._lock = threading.Lock()

    def say(self, who, *args):
        """print(*args) as one line prefixed with ``who``, e.g. ``server | ...``."""
        line = " ".join(str(a) for a in args)
        with self._lock:
            print(f"{who:>6} | {line}", flush=True)


def _listen(host, port, out):
    """The demo's listening socket on ``(host, port)``, or a free port if it is taken."""
    server = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
    try:
        # Without it, a demo run again within a minute finds the port held by
        # the previous run's connection in TIME_WAIT.
        server.setsockopt(rnet.SOL_SOCKET, rnet.SO_REUSEADDR, 1)
        server.settimeout(DEMO_TIMEOUT)
        try:
            server.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            server.bind((host, 0))
            out.say("demo", f"port {port} is busy; using free port {server.getsockname()[1]}")
        server.listen(1)
    except BaseException:
        server.close()
        raise
    return server


def _demo_server(server, out, result):
    """The lecture's server: accept one client, receive one message, echo it."""
    try:
        with server:
            out.say("server", "server waits for connection")
            client, client_address = server.accept()
            with client:
                client.settimeout(DEMO_TIMEOUT)
                out.say("server", "server accepted connection request from ", client_address)
                out.say("server", "server waits for data")
                data = client.recv(BUFFER)
                out.say("server", "server received ", data)
                client.sendall(data)
                # Wait for the client to close first: the side that closes
                # first keeps the TIME_WAIT, and it must not be port 11267.
                client.recv(BUFFER)
        result["received"] = data
    except Exception as exc:  # reported by the main thread, which sets the exit code
        result["error"] = exc


def _demo_client(host, port, message, out):
    """The lecture's client: connect, send ``message``, return the echo."""
    with rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM) as client:
        client.settimeout(DEMO_TIMEOUT)
        client.connect((host, port))
        out.say("client", "client is connected")
        out.say("client", "Give message :", message)
        client.sendall(message.encode())
        reply = client.recv(BUFFER)
        out.say("client", "client received ", reply)
        return reply


def demo(port=LECTURE_PORT, message="hello there!", host=""):
    """Run the lecture's server (in a thread) and client on rnet; return an exit code.

    The server binds ``(host, port)`` ('' is the lecture's: every interface);
    the client connects to 'localhost' as in the lecture, or to ``host`` if it
    names one address. Prints both sides' transcript, each line labelled
    ``server |`` or ``client |``. Returns 0 when the client got its message
    (at most BUFFER bytes) back, 1 otherwise. Every socket call and the final
    join are bounded by DEMO_TIMEOUT seconds.
    """
    out = _Transcript()
    core = rnet.SocketType
    out.say("demo", f"the lecture's TCP server and client on {core.__module__}.{core.__name__}")
    server = _listen(host, port, out)
    port = server.getsockname()[1]
    result = {}
    thread = threading.Thread(
        target=_demo_server, args=(server, out, result), name="demo-server", daemon=True
    )
    thread.start()
    try:
        client_host = "localhost" if host in ("", "0.0.0.0") else host
        reply = _demo_client(client_host, port, message, out)
    except Exception as exc:
        out.say("client", f"client failed: {exc!r}")
        reply = None
    thread.join(DEMO_TIMEOUT)
    if thread.is_alive():
        out.say("demo", "the server did not finish in time")
        return 1
    if "error" in result:
        out.say("server", f"server failed: {result['error']!r}")
        return 1
    if reply != message.encode() or result.get("received") != message.encode():
        out.say("demo", "the message did not make the round trip")
        return 1
    out.say("demo", "done: the client got its message back")
    return 0
