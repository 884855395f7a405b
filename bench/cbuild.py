"""Build the C floors beside these scripts: the loops no binding beats, and the
thinnest binding (an extension module the benches import)."""

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path


def _cc():
    return shutil.which("cc") or shutil.which("gcc")


def build(name, tmp):
    """Compile bench/NAME.c into the folder ``tmp``; its path, or None without cc."""
    cc = _cc()
    if cc is None:
        return None
    exe = os.path.join(tmp, name)
    source = Path(__file__).with_name(f"{name}.c")
    subprocess.run([cc, "-O2", "-o", exe, str(source)], check=True, timeout=60)
    return exe


def build_extension(name, tmp):
    """Compile bench/NAME.c as this interpreter's extension module NAME into
    ``tmp`` (to put on sys.path); True if built, False without cc or headers."""
    cc = _cc()
    include = sysconfig.get_paths()["include"]
    if cc is None or not os.path.exists(os.path.join(include, "Python.h")):
        return False
    out = os.path.join(tmp, name + sysconfig.get_config_var("EXT_SUFFIX"))
    source = Path(__file__).with_name(f"{name}.c")
    cmd = [cc, "-O2", "-shared", "-fPIC", f"-I{include}", "-o", out, str(source)]
    subprocess.run(cmd, check=True, timeout=60)
    return True
