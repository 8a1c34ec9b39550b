"""What one request costs nginx: a cached page against the static file, in instructions.

bench/serve.py measures throughput, which moves with whatever else the 2 cores run. This
counts the CPU instructions nginx itself executes for one request, with valgrind's
callgrind: the same figure on a busy machine as on a quiet one. It starts the production
stack (as bench/serve.py does), runs a second nginx from the stack's own rendered
configuration in one process under callgrind, sends it --requests requests over one
keep-alive connection for each page and encoding, and again with twice as many; the
difference, divided, is the cost of one request without start-up. The kernel's share
(reading, sending) is not counted: `strace -c` on the same nginx shows each request makes
the same system calls, cached or static, but for one pread of the cached copy's headers.

    .venv/bin/python bench/hitcost.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import (  # noqa: E402
    FIND_STORY,
    GZIP,
    LOAD_ALL_DEMOS,
    STATIC_COPY_PATH,
    purge,
    stack_config,
    write_static_copy,
)
from newscast.core.stack import NGINX, NGINX_TEMP_FOLDERS, Stack  # noqa: E402

VALGRIND = shutil.which("valgrind") or "/usr/bin/valgrind"
CALLGRIND_ANNOTATE = shutil.which("callgrind_annotate") or "/usr/bin/callgrind_annotate"


def callgrind_config(rendered: str, run_dir: Path, port: int, folder: Path) -> str:
    """The stack's nginx.conf for one process in the foreground (what callgrind follows),
    on its own ports and with its own cache, logs and pid; the same locations and rules."""
    text = rendered.replace("worker_processes auto;", "worker_processes 1;\nmaster_process off;")
    readers = f"listen 127.0.0.1:{port} default_server;"
    text = re.sub(r"listen 127\.0\.0\.1:\d+ default_server;", readers, text)
    text = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{port + 1};", text)
    for name in (
        "nginx.pid",
        "nginx-error.log",
        "nginx-access.log",
        "nginx-cache",
        "edge-refresh.sock",
    ):
        text = text.replace(f"{run_dir}/{name}", f"{folder}/{name}")
    text = text.replace(f"{run_dir}/tmp/", f"{folder}/tmp/")
    return text.replace("user nobody nogroup;", "user root root;")


def instructions(config_path: Path, folder: Path, port: int, path: str, headers, count: int) -> int:
    """Instructions nginx executed from start to exit, having served `count` requests for
    path after two that fill its cache."""
    out = folder / "callgrind.out"
    nginx = subprocess.Popen(
        [VALGRIND, "--tool=callgrind", f"--callgrind-out-file={out}", NGINX,
         "-p", str(folder), "-c", str(config_path), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        connection = _connect(port)
        for _ in range(2 + count):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: {response.status}")
        connection.close()
    finally:
        nginx.send_signal(3)  # SIGQUIT: finish and exit, so callgrind writes its counts
        nginx.wait(timeout=600)
    report = subprocess.run([CALLGRIND_ANNOTATE, str(out)], capture_output=True, text=True)
    total = re.search(r"([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", report.stdout).group(1)
    return int(total.replace(",", ""))


def _connect(port: int) -> http.client.HTTPConnection:
    for _ in range(600):  # nginx under callgrind takes seconds to start
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.connect()
            return connection
        except OSError:
            time.sleep(0.1)
    raise SystemExit("nginx under callgrind did not start")


def per_request(config_path, folder, port, path, headers, count) -> float:
    """Instructions of one request: the difference between 2n and n requests, over n."""
    shutil.rmtree(folder / "nginx-cache", ignore_errors=True)
    first = instructions(config_path, folder, port, path, headers, count)
    shutil.rmtree(folder / "nginx-cache", ignore_errors=True)
    second = instructions(config_path, folder, port, path, headers, 2 * count)
    return (second - first) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    make_config = stack_config(parser, 21380, "newscast_bench_serve", "data/bench-stack")
    args = parser.parse_args()
    if not Path(VALGRIND).exists():
        raise SystemExit("valgrind is missing: apt-get install valgrind")
    config = make_config(args)
    port = args.port + 10
    with Stack(config, say=lambda m: print(f"# {m}", flush=True)) as stack:
        stack.run_newscast("shell", "-c", LOAD_ALL_DEMOS)
        found = stack.run_newscast("shell", "--no-imports", "-c", FIND_STORY, capture=True)
        story, section = (found.strip().splitlines() or ["", ""])[-2:]
        write_static_copy(stack)
        rendered = (stack.run_dir / "nginx.conf").read_text()
        results = []
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            for temp in NGINX_TEMP_FOLDERS:
                (folder / "tmp" / temp).mkdir(parents=True)
            config_path = folder / "nginx.conf"
            text = callgrind_config(rendered, stack.run_dir.resolve(), port, folder)
            config_path.write_text(text)
            pages = [("static copy of home", STATIC_COPY_PATH), ("home, cached", "/")]
            pages += [("section, cached", section), ("story, cached", story)]
            # A story nginx serves from its cache, not as a file (no file for a query string):
            # what a story costs that no refresh baked in these ten minutes.
            pages += [("story, cache copy", f"{story}?from=hitcost")]
            for label, path in pages:
                if label.endswith(", cached"):
                    purge(config.purge_url, path)  # refreshed and baked, as a publish does
                for encoding, headers in (("plain", {}), ("gzip", GZIP)):
                    cost = per_request(config_path, folder, port, path, headers, args.requests)
                    results.append((label, encoding, cost))
                    print(f"# {label} {encoding}: {cost:,.0f} instructions", flush=True)

    static = {encoding: cost for label, encoding, cost in results if label.startswith("static")}
    print()
    print(f"nginx instructions a request (callgrind; {args.requests} and twice as many requests)")
    print(f"{'what':28}{'instructions':>14}{'x static':>10}")
    for label, encoding, cost in results:
        print(f"{label + f' ({encoding})':28}{cost:>14,.0f}{cost / static[encoding]:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
