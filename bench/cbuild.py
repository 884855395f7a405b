"""Build one of the C loops beside these scripts (the floors no binding beats)."""

import os
import shutil
import subprocess
from pathlib import Path


def build(name, tmp):
    """Compile bench/NAME.c into the folder ``tmp``; its path, or None without cc."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return None
    exe = os.path.join(tmp, name)
    source = Path(__file__).with_name(f"{name}.c")
    subprocess.run([cc, "-O2", "-o", exe, str(source)], check=True, timeout=60)
    return exe
