"""Start and stop what the load benchmarks and the multi-process test need, on loopback only:
Streamlit app processes and Debian's nginx in front of them (deploy/nginx/*.conf, the same files a real
deployment includes).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX_DIR = ROOT / "deploy" / "nginx"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen | None = None, timeout_s: float = 90) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


def start_app(port: int, log_path: Path | None, *, threads: int | None = 1, app: Path = ROOT / "app.py"
              ) -> subprocess.Popen:
    """``streamlit run app.py`` headless on 127.0.0.1:port, BLAS limited to ``threads`` per process (None: as this
    process has it); its output goes to ``log_path`` (None: nowhere). ``app``: another app file (a trivial
    page, another tree's app.py) runs from its own folder."""
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": "unrolled-load-test"}
    if threads is not None:
        env |= {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}
    cmd = [sys.executable, "-m", "streamlit", "run", app.name, "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 - closed in stop()
    proc = subprocess.Popen(cmd, cwd=app.parent, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
    if log:
        proc.log = log  # type: ignore[attr-defined]
    try:
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc)
    except RuntimeError:
        stop(proc)
        raise
    return proc


@contextmanager
def streamlit_server(app: Path = ROOT / "app.py", *, threads: int | None = None):
    """One app process for ``app`` on a free loopback port, stopped afterwards; yields its base URL."""
    port = free_port()
    proc = start_app(port, None, threads=threads, app=app)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def launch_chromium(playwright):
    """Debian's headless Chromium through Playwright (sync or async API: the caller awaits the async one)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    if hasattr(proc, "log"):
        proc.log.close()


def nginx_config(listen: int, app_ports: list[int], workdir: Path) -> Path:
    """A complete nginx.conf for loopback: the shared http and location files from deploy/nginx and an
    upstream of the given app ports. Returns its path; logs go to ``workdir``."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in app_ports)
    conf = f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {NGINX_DIR}/unrolled-http.conf;
    upstream unrolled_app {{
        hash $unrolled_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{listen};
        access_log {workdir}/access.log unrolled;
        include {NGINX_DIR}/unrolled-location.conf;
    }}
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(conf)
    return path


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    return found


@contextmanager
def app_cluster(processes: int, workdir: Path, *, through_nginx: bool):
    """``processes`` app processes, behind nginx when ``through_nginx``. Yields (base URL, [app procs])."""
    ports = [free_port() for _ in range(processes)]
    procs = [start_app(p, workdir / f"app{k + 1}.log") for k, p in enumerate(ports)]
    nginx = None
    try:
        base = f"http://127.0.0.1:{ports[0]}"
        if through_nginx:
            listen = free_port()
            conf = nginx_config(listen, ports, workdir)
            nginx = subprocess.Popen([nginx_binary(), "-c", str(conf), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{listen}"
            wait_healthy(base + "/_stcore/health", nginx, timeout_s=20)
        yield base, procs
    finally:
        if nginx is not None:
            stop(nginx)
        for proc in procs:
            stop(proc)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def upstream_counts(access_log: Path, path_part: str = "/_stcore/stream") -> dict[str, int]:
    """How many requests for ``path_part`` (by default: websocket sessions) each upstream served."""
    counts: dict[str, int] = {}
    for line in access_log.read_text().splitlines():
        if path_part in line and "upstream=" in line:
            up = line.split("upstream=", 1)[1].split()[0]
            counts[up] = counts.get(up, 0) + 1
    return counts


def routes(access_log: Path) -> dict[str, set[str]]:
    """Route key (the sticky cookie) -> the set of app processes that served its requests."""
    out: dict[str, set[str]] = {}
    for line in access_log.read_text().splitlines():
        if "upstream=" in line and "route=" in line:
            up = line.split("upstream=", 1)[1].split()[0]
            route = line.split("route=", 1)[1].split()[0]
            out.setdefault(route, set()).add(up)
    return out
