"""``python -m rnet run``: run a student's program on rnet as plain ``python`` would.

The program's own ``import socket`` gives rnet (see :func:`install_import_hook`),
and everything else looks like ``python SCRIPT``: ``sys.argv``, ``sys.path[0]``
and ``__main__``; tracebacks that start in the script, with no frame of runpy
or of rnet itself; a SyntaxError that shows the student's line; Ctrl-C that
ends with the script's traceback and the exit status Python gives; a broken
pipe on stdout (``| head``) that ends quietly; and ``multiprocessing``
children (fork, spawn, forkserver) that run on rnet too.
"""

import atexit
import builtins
import os
import runpy
import select
import signal
import sys
import sysconfig
import types

import rnet

__all__ = ["install_import_hook", "run_script", "run_module", "execute"]

_RNET_DIR = os.path.dirname(os.path.realpath(rnet.__file__)) + os.sep
# Frames of these files are the machinery's, not the student's.
_MACHINERY = (_RNET_DIR, os.path.realpath(runpy.__file__), "<frozen runpy>")


# ---------------------------------------------------------------------------
# the import hook


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


def install_import_hook(module=None):
    """Make ``import socket`` in the user's code (not the stdlib's) return ``module``.

    ``module`` is rnet unless given (``--py2`` gives its Python 2 flavour). The
    hook wraps ``builtins.__import__`` rather than replacing
    ``sys.modules['socket']``: ssl, asyncio, http.server and the rest of the
    stdlib subclass, type-check or reach inside the stdlib's socket objects, so
    handing them rnet would change more than the user's program. The decision
    is made per import statement, from the globals of the code doing the
    import. ``importlib.import_module('socket')`` bypasses the hook.
    Returns a function that removes the hook.
    """
    module = rnet if module is None else module
    real_import = builtins.__import__
    library_dirs = _library_dirs()

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "socket" and level == 0 and _imports_rnet(globals, library_dirs):
            return module
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = _import

    def uninstall():
        builtins.__import__ = real_import

    return uninstall


# ---------------------------------------------------------------------------
# loading


def _socket_module(py2):
    if not py2:
        return rnet
    from . import _py2

    return _py2.module()


def compile_script(path, py2=False):
    """The code object of the script at ``path``; ``py2`` translates it from Python 2 first."""
    with open(path, "rb") as f:
        source = f.read()
    if py2:
        from . import _py2

        source = _py2.translate(source, path)
    return compile(source, path, "exec", dont_inherit=True)


def _main_module(path):
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = builtins
    main.__spec__ = None
    sys.modules["__main__"] = main
    return main


# ---------------------------------------------------------------------------
# multiprocessing


class _ChildSetup:
    """Rides in multiprocessing's preparation data: unpickling it in a spawn or
    forkserver child installs the hook before the child loads ``__main__``."""

    def __init__(self, py2):
        self.py2 = py2

    def __reduce__(self):
        return (_setup_child, (self.py2,))


def _setup_child(py2):
    """In a multiprocessing child: rnet for the script's sockets, the script as ``__mp_main__``."""
    install_import_hook(_socket_module(py2))
    if py2:
        import multiprocessing.spawn as spawn

        def _fixup_main_from_path(main_path):
            main = types.ModuleType("__mp_main__")
            main.__file__ = main_path
            main.__builtins__ = builtins
            sys.modules["__main__"] = sys.modules["__mp_main__"] = main
            exec(compile_script(main_path, py2=True), main.__dict__)

        spawn._fixup_main_from_path = _fixup_main_from_path
    return _ChildSetup(py2)


def _hook_multiprocessing(py2):
    """Children started by fork inherit the hook; spawn and forkserver get it here."""
    import multiprocessing.spawn as spawn

    real = spawn.get_preparation_data

    def get_preparation_data(name):
        data = real(name)
        data["rnet_run"] = _ChildSetup(py2)
        return data

    spawn.get_preparation_data = get_preparation_data


# ---------------------------------------------------------------------------
# ending as python ends


def _student_traceback(tb):
    """``tb`` without the frames of runpy and rnet, so it starts in the student's code."""
    kept = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(_MACHINERY) and not os.path.realpath(filename).startswith(
            _MACHINERY
        ):
            kept.append(tb)
        tb = tb.tb_next
    new = None
    for t in reversed(kept):
        new = types.TracebackType(new, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return new


def _clean(exc, seen=None):
    """Strip machinery frames from ``exc`` and the exceptions it chains."""
    seen = set() if seen is None else seen
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = _student_traceback(exc.__traceback__)
        if exc.__cause__ is not None:
            _clean(exc.__cause__, seen)
        exc = exc.__context__


def _py2_hint(exc):
    """A note pointing at --py2 for the two Python 2 mistakes Python 3 reports."""
    hint = rnet._notes.PY2_HINT.format(script=sys.argv[0])
    if isinstance(exc, SyntaxError) and (exc.msg or "").startswith(
        ("Missing parentheses in call to 'print'", "Missing parentheses in call to 'exec'")
    ):
        rnet._notes._add(exc, "this looks like Python 2; " + hint)
    elif isinstance(exc, NameError) and getattr(exc, "name", None) in ("raw_input", "unicode"):
        rnet._notes._add(exc, f"{exc.name} is Python 2; " + hint)


def _stdout_broken():
    """Whether stdout is a pipe whose reader went away (``| head`` is done)."""
    try:
        fd = sys.__stdout__.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(ev & select.POLLERR for _, ev in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _quiet_broken_pipe():
    """Point stdout at /dev/null so the interpreter's final flush cannot fail
    (the recipe in the docs of the signal module, 'Note on SIGPIPE')."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.__stdout__.fileno())
    os.close(devnull)
    return 1


_interrupted = False


def _exit_by_sigint():
    # Registered before the script runs, so it runs after the script's own
    # atexit functions, as the interpreter's own exit by SIGINT does
    # (bpo-1054041): the shell sees a process killed by Ctrl-C.
    if _interrupted:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


def execute(body, py2=False):
    """Run ``body()`` (the student's program) and end as ``python`` would; return
    the exit status. SystemExit passes through unchanged."""
    global _interrupted
    atexit.register(_exit_by_sigint)
    try:
        body()
        if sys.stdout is not None:
            sys.stdout.flush()  # here, where a broken pipe can still end quietly
    except SystemExit:
        raise
    except BaseException as exc:
        if isinstance(exc, BrokenPipeError) and _stdout_broken():
            return _quiet_broken_pipe()
        _clean(exc)
        if not py2:
            _py2_hint(exc)
        sys.excepthook(type(exc), exc, exc.__traceback__)
        if isinstance(exc, KeyboardInterrupt):
            _interrupted = True
            return 0
        return 1
    return 0


def run_script(path, args=(), py2=False):
    """Run the script at ``path`` as ``__main__`` with ``args`` on rnet; return the exit status.

    As ``python SCRIPT ARGS...`` would: ``sys.argv`` is ``[script, *args]`` and
    ``sys.path[0]`` is the script's directory, so its own modules import.
    """
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    # Left installed on return: threads the script started may still import.
    install_import_hook(_socket_module(py2))
    _hook_multiprocessing(py2)

    # As python 3.9+: __file__ and the traceback name the script by its absolute path.
    filename = os.path.abspath(path)

    def body():
        code = compile_script(filename, py2)
        exec(code, _main_module(filename).__dict__)

    return execute(body, py2)


def run_module(name, args=(), py2=False):
    """Run module ``name`` as ``python -m NAME ARGS...`` would, on rnet; return the exit status."""
    if py2:
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or not (spec.origin or "").endswith(".py"):
            raise ImportError(f"No module named {name} (--py2 runs a module's .py file)")
        return run_script(spec.origin, args, py2=True)
    sys.argv = [name, *args]
    sys.path[0] = os.getcwd()
    install_import_hook()
    _hook_multiprocessing(False)
    return execute(lambda: runpy.run_module(name, run_name="__main__", alter_sys=True))
