"""gunicorn settings: gunicorn -c config/gunicorn.py config.wsgi"""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Import the site before forking: a bad setting stops the master, not each worker, and the
# workers share the imported code (config/wsgi.py loads the URLs and more up front too).
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Each password check takes 19 MiB (Argon2, accounts/hashers.py). glibc's malloc raises its mmap
# threshold to the largest block freed, so after a login or two every worker would keep that memory
# for good; a fixed threshold (its default, 128 KiB) hands such blocks back as soon as they are freed.
M_MMAP_THRESHOLD = -3
libc = ctypes.CDLL(ctypes.util.find_library("c"))
if hasattr(libc, "mallopt"):  # glibc; musl's malloc returns large blocks on its own
    libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)


def pre_fork(server, worker) -> None:
    # Objects made before the fork are left out of the workers' garbage collections, which would
    # otherwise write to, and so copy, every memory page they share with the master.
    gc.freeze()
