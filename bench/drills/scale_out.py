"""Drill: two web processes and two job workers on one PostgreSQL and one Redis.

Checks what scaling out must not break: an editor logged in through one web process is
logged in on the other (sessions in the database); nginx spreads readers over both; and
each scheduled job runs once per slot although both workers' schedulers enqueue it (the
JobRun claim in newscast.core.jobs; the loser logs that it skipped).

    .venv/bin/python bench/drills/scale_out.py [--minutes 2]
"""

import argparse
import http.client
import re
import sys
import time
from collections import Counter

import psycopg
from common import UNCACHED, drill_stack, get, load_demo_content, verdict

DEMO_EDITOR = ("admin", "newscast-demo")  # newscast/core/management/commands/demo_admin.py
RUNS_PER_SLOT = """
SELECT job, slot, count(*) FROM core_jobrun GROUP BY job, slot ORDER BY slot
"""


def log_in(bind: str) -> str:
    """Log the demo editor in through one web process; return the session cookie."""
    host, port = bind.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/admin/login/")
    response = connection.getresponse()
    form = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = f"csrfmiddlewaretoken={token}&username={DEMO_EDITOR[0]}&password={DEMO_EDITOR[1]}"
    connection.request("POST", "/admin/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": f"http://{bind}/admin/login/",
    })  # fmt: skip
    response = connection.getresponse()
    response.read()
    cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
    session = re.search(r"sessionid=([^;]+)", cookies)
    return session.group(1) if session else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=2, help="how long the workers run")
    args = parser.parse_args()
    stack = drill_stack("scaleout", web_processes=2, job_workers=2)
    with stack:
        story = load_demo_content(stack)
        first, second = stack.config.web_binds
        session = log_in(first)
        editor_on_second = get(f"http://{second}", "/admin/", {"Cookie": f"sessionid={session}"})
        for _ in range(40):
            get(stack.config.base_url, story, UNCACHED)
        print(f"# letting both workers' schedulers run for {args.minutes} min", flush=True)
        time.sleep(args.minutes * 60)
        with psycopg.connect(stack.config.database_url) as db:
            runs = db.execute(RUNS_PER_SLOT).fetchall()
        worker_logs = [stack.log_path(f"worker{n}").read_text() for n in (0, 1)]
        access_log = (stack.run_dir / "nginx-access.log").read_text()
        alive = not stack.dead_processes()

    upstreams = Counter(re.findall(r"cache=BYPASS upstream=(\S+)", access_log))
    doubled = [run for run in runs if run[2] > 1]
    skipped = [log.count("already ran on another worker") for log in worker_logs]
    jobs = Counter(job for job, _, _ in runs)
    ok = (
        bool(session)
        and editor_on_second[0] == 200
        and len(upstreams) == 2
        and runs
        and not doubled
        and sum(skipped) > 0
        and alive
    )
    details = (
        f"  editor logged in on {first}, then /admin/ on {second}: HTTP {editor_on_second[0]}\n"
        f"  uncached reads through nginx per web process: {dict(upstreams)}\n"
        f"  job runs recorded: {dict(jobs)}; slots run more than once: {len(doubled)}\n"
        f"  slots a worker skipped because the other had it: worker0 {skipped[0]}, "
        f"worker1 {skipped[1]}\n"
        f"  every process still running: {alive}"
    )
    return verdict("Scale-out", ok, details)


if __name__ == "__main__":
    sys.exit(main())
