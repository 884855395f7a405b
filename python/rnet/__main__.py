"""``python -m rnet``: the lecture's demo, and running socket programs on rnet.

``python -m rnet demo`` runs the lecture's TCP server and client on rnet's Rust
core and prints both sides' transcript (rnet/_demo.py). ``python -m rnet run
SCRIPT [ARGS...]`` (or ``run -m MODULE``) runs an unmodified socket program
with its own ``import socket`` resolved to rnet, while the standard library
keeps the stdlib socket (rnet/_run.py); ``--py2`` runs the course's Python 2
slides as printed (rnet/_py2.py).

This file only parses the command line: each subcommand is one ``_add_*``
function that declares its options and one ``_do_*`` function that runs it.
"""

import argparse
import importlib.util
import os
import sys

import rnet
from rnet import _demo, _diagram, _run, _trace

LECTURE_PORT = _demo.LECTURE_PORT
BUFFER = _demo.BUFFER
PROG = "python -m rnet"


def version():
    """rnet's version, as installed."""
    from importlib import metadata

    try:
        return metadata.version("rnet")
    except metadata.PackageNotFoundError:
        return "unknown"


class _OneLineParser(argparse.ArgumentParser):
    """A parser whose errors are one line (``prog: error: ...``) and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(text):
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: a port is 0 to 65535")
    return port


# ---------------------------------------------------------------------------
# demo


def _add_demo(commands):
    demo = commands.add_parser(
        "demo",
        help="run the lecture's TCP server and client on rnet and show both sides",
        description=(
            "Run the lecture's TCP server (in a thread) and client on rnet's Rust core: "
            "the client sends a message, the server prints it and echoes it back. "
            f"Uses port {LECTURE_PORT}, or a free port if that one is busy."
        ),
    )
    demo.add_argument(
        "--port",
        type=_port,
        default=LECTURE_PORT,
        help=f"port to try first (default {LECTURE_PORT})",
    )
    demo.add_argument(
        "--host", default="", help="address the server binds (default '': all, as in the lecture)"
    )
    demo.add_argument(
        "--message",
        default="hello there!",
        help=f"what the client sends, at most {BUFFER} bytes (default: hello there!)",
    )
    demo.add_argument(
        "--diagram", metavar="OUT", help="also draw the exchange: OUT.svg or OUT.html"
    )
    demo.set_defaults(handler=_do_demo, parser=demo)
    return demo


def _do_demo(options):
    parser = options.parser
    if len(options.message.encode()) > BUFFER:
        parser.error(f"--message: at most {BUFFER} bytes (the lecture's buffer)")
    try:
        if options.diagram:
            return _diagram.traced(
                lambda: _demo.demo(options.port, options.message, options.host), options.diagram
            )
        return _demo.demo(options.port, options.message, options.host)
    except OSError as exc:  # gaierror too: --host names nothing this machine can bind
        parser.error(f"--host {options.host!r}: {exc}")


# ---------------------------------------------------------------------------
# run


def _add_run(commands):
    run = commands.add_parser(
        "run",
        help="run an unmodified socket program with its 'import socket' resolved to rnet",
        usage=(
            f"{PROG} run [-h] [-v] [--py2] [--trace] [--trace-file PATH] "
            "(SCRIPT | -m MODULE) [ARGS ...]"
        ),
        description=(
            "Run SCRIPT (or MODULE) as __main__ with ARGS, as python would. Its own "
            "'import socket' and 'from socket import *' (and those of modules next to it) "
            "give rnet; the standard library keeps the stdlib socket."
        ),
    )
    # As python's -m: the options end at the module's name, the rest is its argv.
    run.add_argument(
        "-m", dest="module", nargs=argparse.REMAINDER, help="MODULE [ARGS ...]: run module MODULE"
    )
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say on stderr that the program runs on rnet's Rust core",
    )
    run.add_argument(
        "--py2",
        action="store_true",
        help="a Python 2 program (the course's slides): translate it to Python 3 "
        "with fissix and give its sockets Python 2 strings (needs rnet[py2])",
    )
    _trace.add_run_options(run)
    run.add_argument("script", metavar="SCRIPT", nargs="?", help="the Python program to run")
    run.add_argument("args", metavar="ARGS", nargs=argparse.REMAINDER, help="arguments for it")
    run.set_defaults(handler=_do_run, parser=run)
    return run


def _do_run(options):
    parser = options.parser
    args = list(options.args)
    if options.module is not None:
        if not options.module or options.script is not None:
            parser.error("-m takes a MODULE and its ARGS, and no SCRIPT")
        module, *args = options.module
        target = f"module {module}"
        if importlib.util.find_spec(module) is None:
            parser.exit(1, f"{PROG} run: No module named {module}\n")
    elif options.script is None:
        parser.error("give SCRIPT or -m MODULE")
    else:
        target = options.script
        if not os.path.isfile(options.script):
            parser.error(f"no such file: {options.script}")
    if options.py2:
        try:
            import fissix  # noqa: F401
        except ImportError:
            parser.exit(2, f"{PROG} run: --py2 needs fissix: pip install 'rnet[py2]'\n")
    if options.verbose:
        mode = " as Python 2 (--py2)" if options.py2 else ""
        core = rnet._rnet.__file__
        banner = f"rnet {version()}: running {target}{mode} on rnet's Rust core ({core})"
        print(banner, file=sys.stderr)
    _trace.start_for_run(options, module if options.module is not None else options.script, args)
    if options.module is not None:
        return _run.run_module(module, args, py2=options.py2)
    return _run.run_script(options.script, args, py2=options.py2)


# ---------------------------------------------------------------------------
# command line


def _parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="rnet: Python's socket API on a Rust core.",
        epilog=(
            "examples:  python -m rnet demo  |  python -m rnet run server.py --port 8000  "
            "|  python -m rnet run --py2 tcp_server.py  (see 'python -m rnet COMMAND --help')"
        ),
    )
    parser.add_argument("--version", action="version", version=f"rnet {version()}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser
    )
    _add_demo(commands)
    _add_run(commands)
    diagram = _diagram.add_command(commands)
    diagram.set_defaults(handler=_diagram.main, parser=diagram)
    return parser


def main(argv=None):
    """The command line: ``demo``, ``run`` or ``diagram``; returns the exit code."""
    options = _parser().parse_args(argv)
    return options.handler(options)


if __name__ == "__main__":
    sys.exit(main())
