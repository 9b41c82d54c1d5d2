"""What the installed libraries a server loads cost in resident memory, in a process of its own.

    python imports.py list WSGI_MODULE [PATH ...]
        Imports WSGI_MODULE as gunicorn does, sends it a GET of each PATH and
        prints the installed libraries' modules loaded by then (JSON).
    python imports.py cost < {"base": [MODULE, ...], "added": [MODULE, ...]}
        Imports the base modules, then the added ones, and prints the MiB of
        resident memory the added ones took (JSON).

Run with the server's settings and in its directory, like queries.py.
Memory is measured as the generated site's gunicorn master leaves it before
forking: after a garbage collection and malloc_trim.
"""

import ctypes
import gc
import importlib
import json
import re
import sys
import sysconfig
from pathlib import Path
from wsgiref.util import setup_testing_defaults

LIBRARIES = {Path(sysconfig.get_paths()[kind]) for kind in ("purelib", "platlib")}


def loaded_library_modules(wsgi_module: str, paths: list[str]) -> list[str]:
    application = importlib.import_module(wsgi_module).application
    for path in paths:
        environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", "wsgi.url_scheme": "https"}
        setup_testing_defaults(environ)
        b"".join(application(environ, lambda status, headers, exc_info=None: None))
    return [
        name
        for name, module in list(sys.modules.items())
        if (file := getattr(module, "__file__", None)) and any(Path(file).is_relative_to(d) for d in LIBRARIES)
    ]


def resident_mib() -> float:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def import_all(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112  (models and the like need the app registry, set up only by the site)
            continue


def cost(base: list[str], added: list[str]) -> float:
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018  (loads the settings module and what it imports)
    import_all(base)
    before = resident_mib()
    import_all(added)
    return resident_mib() - before


if __name__ == "__main__":
    sys.path.insert(0, ".")
    if sys.argv[1:2] == ["list"] and len(sys.argv) > 2:
        print(json.dumps(loaded_library_modules(sys.argv[2], sys.argv[3:])))
    elif sys.argv[1:] == ["cost"]:
        print(json.dumps(cost(**json.load(sys.stdin))))
    else:
        sys.exit(__doc__)
