"""``python -m rnet``: the lecture's demo, and running socket programs on rnet.

``python -m rnet demo`` runs the lecture's TCP server and client on rnet's Rust
core and prints both sides' transcript. ``python -m rnet run SCRIPT [ARGS...]``
runs an unmodified socket program with its own ``import socket`` resolved to
rnet, while the standard library keeps the stdlib socket.
"""

import argparse
import builtins
import errno
import os
import runpy
import sys
import sysconfig
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
        result["received"] = data
    except Exception as exc:  # reported by the main thread, which sets the exit code
        result["error"] = exc


def _demo_client(host, port, message, out):
    """The lecture's client: connect, send ``message``, return the echo."""
    with rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM) as client:
        client.settimeout(DEMO_TIMEOUT)
        client.connect((host, port))
        out.say("client", f"client connected to {(host, port)}")
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


# ---------------------------------------------------------------------------
# run


def _library_dirs():
    """Directories whose modules keep the stdlib socket: the stdlib and site-packages."""
    names = ("stdlib", "platstdlib", "purelib", "platlib")
    paths = sysconfig.get_paths()
    dirs = {os.path.realpath(paths[n]) for n in names if n in paths}
    dirs.add(os.path.realpath(os.path.dirname(os.__file__)))
    return tuple(d + os.sep for d in dirs)


def _imports_rnet(importer_globals, library_dirs):
    """Whether code running with ``importer_globals`` is the user's, so gets rnet.

    The user's code is the script and modules found next to it: anything whose
    file is not inside the standard library, site-packages or rnet itself.
    """
    if not importer_globals:
        return False
    name = importer_globals.get("__name__") or ""
    if name == "rnet" or name.startswith("rnet."):
        return False
    filename = importer_globals.get("__file__")
    if not filename:
        # Frozen and built-in modules have no file; they are the stdlib's.
        return False
    return not os.path.realpath(filename).startswith(library_dirs)


def install_import_hook():
    """Make ``import socket`` in the user's code (not the stdlib's) return rnet.

    The hook wraps ``builtins.__import__`` rather than replacing
    ``sys.modules['socket']``: ssl, asyncio, http.server and the rest of the
    stdlib subclass, type-check or reach inside the stdlib's socket objects, so
    handing them rnet would change more than the user's program. The decision
    is made per import statement, from the globals of the code doing the
    import. ``importlib.import_module('socket')`` bypasses the hook.
    Returns a function that removes the hook.
    """
    real_import = builtins.__import__
    library_dirs = _library_dirs()

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "socket" and level == 0 and _imports_rnet(globals, library_dirs):
            return rnet
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = _import

    def uninstall():
        builtins.__import__ = real_import

    return uninstall


def run(script, args=()):
    """Run ``script`` as ``__main__`` with ``args``, its ``import socket`` giving rnet.

    As ``python SCRIPT ARGS...`` would: ``sys.argv`` is ``[script, *args]`` and
    ``sys.path[0]`` is the script's directory, so its own modules import.
    """
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    # Left installed on return: threads the script started may still import.
    install_import_hook()
    runpy.run_path(script, run_name="__main__")


# ---------------------------------------------------------------------------
# command line


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m rnet",
        description="rnet: Python's socket API on a Rust core.",
        epilog=(
            "examples:  python -m rnet demo  |  python -m rnet run server.py --port 8000  "
            "(see 'python -m rnet COMMAND --help')"
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo_cmd = commands.add_parser(
        "demo",
        help="run the lecture's TCP server and client on rnet and show both sides",
        description=(
            "Run the lecture's TCP server (in a thread) and client on rnet's Rust core: "
            "the client sends a message, the server prints it and echoes it back. "
            f"Uses port {LECTURE_PORT}, or a free port if that one is busy."
        ),
    )
    demo_cmd.add_argument(
        "--port", type=int, default=LECTURE_PORT, help=f"port to try first (default {LECTURE_PORT})"
    )
    demo_cmd.add_argument(
        "--host", default="", help="address the server binds (default '': all, as in the lecture)"
    )
    demo_cmd.add_argument(
        "--message",
        default="hello there!",
        help=f"what the client sends, at most {BUFFER} bytes (default: hello there!)",
    )
    run_cmd = commands.add_parser(
        "run",
        help="run an unmodified socket program with its 'import socket' resolved to rnet",
        description=(
            "Run SCRIPT as __main__ with ARGS. Its own 'import socket' and "
            "'from socket import *' (and those of modules next to it) give rnet; "
            "the standard library keeps the stdlib socket."
        ),
    )
    run_cmd.add_argument("script", metavar="SCRIPT", help="the Python program to run")
    run_cmd.add_argument(
        "args", metavar="ARGS", nargs=argparse.REMAINDER, help="arguments for SCRIPT"
    )
    return parser


def main(argv=None):
    """The command line: ``demo`` or ``run``; returns the exit code."""
    parser = _parser()
    options = parser.parse_args(argv)
    if options.command == "demo":
        if len(options.message.encode()) > BUFFER:
            parser.error(f"--message: at most {BUFFER} bytes (the lecture's buffer)")
        return demo(options.port, options.message, options.host)
    if not os.path.isfile(options.script):
        parser.error(f"no such file: {options.script}")
    run(options.script, options.args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
