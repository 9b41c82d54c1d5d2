"""nginx in front of servers of this site, as a process of its own: its own configuration, pid and logs in a
directory of the test's, on a loopback port; never the system's nginx or its configuration."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

NO_NGINX = (
    "No nginx to put in front of the servers: install one (Debian and Ubuntu: apt-get install nginx), "
    "or set NGINX to its path."
)


def nginx_path() -> str | None:
    """NGINX, else an nginx on the PATH, else Debian's (in /usr/sbin, which is not on every user's PATH)."""
    if os.environ.get("NGINX"):
        return os.environ["NGINX"]
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def nginx_configuration(directory: Path, port: int, upstreams: list[int], directives: str) -> str:
    """A whole nginx configuration of its own: nothing from the system's, nothing outside ``directory``.

    ``directives`` go into the proxied location: how the client's address is passed on, and any more.
    """
    # max_fails=0: an instance that refused a connection gets the next request all the same, instead of being
    # left out for 10 s. Restarted one after another within seconds, two left out while the third stops would
    # leave nginx no instance to send to (502, "no live upstreams").
    servers = "\n".join(f"        server 127.0.0.1:{upstream} max_fails=0;" for upstream in upstreams)
    temporary = "\n".join(
        f"    {kind}_temp_path {directory / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} warn;
events {{
    worker_connections 256;
}}
http {{
    access_log {directory / "access.log"};
{temporary}
    upstream site {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://site;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            {directives}
        }}
    }}
}}
"""


class Nginx:
    """nginx in front of the servers, on loopback ``port``."""

    def __init__(self, path: str, directory: Path, port: int, upstreams: list[int], directives: str) -> None:
        self.port = port
        self.directory = directory
        configuration = directory / "nginx.conf"
        configuration.write_text(nginx_configuration(directory, self.port, upstreams, directives))
        self.process = subprocess.Popen(
            [path, "-p", str(directory), "-c", str(configuration), "-e", str(directory / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx stopped:\n{self.errors()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"nginx did not listen within 15 seconds:\n{self.errors()}")

    def errors(self) -> str:
        log = self.directory / "error.log"
        return log.read_text() if log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()  # nginx's fast shutdown
        self.process.wait(timeout=10)
