"""bench/longtail.py's clients yield the CPU to the stack they measure, not to the shell.

The load generators share the two cores with the parts they measure; the bench lowers their
priority in a session of its own (docs/decisions/stack-cpu-priority.md). Run in child
processes: what it changes is the process's own priority.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
AUTOGROUP = Path("/proc/self/autogroup")

# The bench's start, as its main() makes it: run again in a session unless it leads one.
CHILD = """
import os, sys, time
sys.path.insert(0, {base!r})
from bench.longtail import clients_yield, in_own_session
rerun = in_own_session()
if rerun is not None:
    sys.exit(rerun)
print("session leader", os.getsid(0) == os.getpid(), flush=True)
print("said", clients_yield(5))
print("nice", os.getpriority(os.PRIO_PROCESS, 0), flush=True)
if len(sys.argv) > 1:
    print("child", os.getpid(), flush=True)
    time.sleep(60)
"""


def child_script(tmp_path) -> str:
    script = tmp_path / "clients.py"
    script.write_text(CHILD.format(base=str(BASE_DIR)))
    return str(script)


def run_child(tmp_path, **popen) -> list[str]:
    done = subprocess.run(
        [sys.executable, child_script(tmp_path)],
        capture_output=True, text=True, timeout=60, check=True, **popen,
    )  # fmt: skip
    return done.stdout.splitlines()


def expected_said() -> str:
    return "said nice 5, autogroup 5" if AUTOGROUP.exists() else "said nice 5 (no autogroup)"


def test_the_clients_run_in_a_session_of_their_own_at_a_lower_priority(tmp_path):
    before = AUTOGROUP.read_text() if AUTOGROUP.exists() else None

    lines = run_child(tmp_path)

    assert lines == [
        "session leader True",
        expected_said(),
        f"nice {os.getpriority(os.PRIO_PROCESS, 0) + 5}",
    ]
    if before is not None:
        # The session the bench was started from (here pytest's) keeps its share.
        assert AUTOGROUP.read_text() == before


def test_a_session_leader_is_not_run_again(tmp_path):
    lines = run_child(tmp_path, start_new_session=True)

    assert lines[:2] == ["session leader True", expected_said()]


def test_a_process_group_leader_as_a_shell_starts_it(tmp_path):
    lines = run_child(tmp_path, process_group=0)

    assert lines[:2] == ["session leader True", expected_said()]


def test_a_stop_reaches_the_bench_run_again(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, child_script(tmp_path), "wait"], stdout=subprocess.PIPE, text=True
    )
    try:
        lines = [parent.stdout.readline().strip() for _ in range(4)]
        child = int(lines[3].split()[1])
        assert child != parent.pid

        parent.send_signal(signal.SIGTERM)

        assert parent.wait(timeout=30) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Path(f"/proc/{child}").exists()
    finally:
        parent.kill()
        parent.wait()


def test_nice_0_changes_nothing():
    child = (
        f"import os, sys; sys.path.insert(0, {str(BASE_DIR)!r}); "
        "from bench.longtail import clients_yield; "
        "print(clients_yield(0), os.getpriority(os.PRIO_PROCESS, 0))"
    )
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == (
        f"nice 0, as the stack's parts {os.getpriority(os.PRIO_PROCESS, 0)}"
    )
