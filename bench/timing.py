"""gunicorn settings for the benchmark: a server's own settings file, if it has one, plus timing hooks.

BENCH_GUNICORN_CONFIG names the settings file to start from (the generated
site's config/gunicorn.py). Each worker appends a line per request to
BENCH_TIMING_LOG: its pid, the wall-clock and the CPU milliseconds the
request took in the worker (from before gunicorn reads the environ to after
the response is written), the page faults it took, and the path. CPU time is
the worker's own work; wall-clock time adds whatever else ran on the machine
meanwhile. Page faults count the memory pages the worker first touched or
first wrote to (a copy of a page it shared with the master).
"""

import os
import resource
import runpy
import time

if "BENCH_GUNICORN_CONFIG" in os.environ:
    own_settings = runpy.run_path(os.environ["BENCH_GUNICORN_CONFIG"])
    globals().update({name: value for name, value in own_settings.items() if not name.startswith("__")})


def pre_request(worker, req) -> None:
    worker.bench_started = (time.perf_counter(), time.thread_time(), page_faults())


def post_request(worker, req, environ, resp) -> None:
    started_wall, started_cpu, started_faults = worker.bench_started
    wall, cpu = time.perf_counter() - started_wall, time.thread_time() - started_cpu
    with open(os.environ["BENCH_TIMING_LOG"], "a") as log:
        log.write(f"{os.getpid()} {wall * 1000:.3f} {cpu * 1000:.3f} {page_faults() - started_faults} {req.path}\n")


def page_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
