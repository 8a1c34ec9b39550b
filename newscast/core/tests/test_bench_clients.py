"""bench/longtail.py's clients yield the CPU to the stack they measure, not to the shell.

The load generators share the two cores with the parts they measure; the bench lowers their
priority in a session of its own (docs/decisions/stack-cpu-priority.md). Run in a child
process: what it changes is the process's own priority.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
AUTOGROUP = Path("/proc/self/autogroup")

CHILD = """
import os, sys
sys.path.insert(0, {base!r})
from bench.longtail import clients_yield, in_own_session
was_leader = os.getsid(0) == os.getpid()
rerun = in_own_session()
if rerun is not None:  # this was a process group's leader: the bench ran again, in a session
    sys.exit(rerun)
print("leader", was_leader, os.getsid(0) == os.getpid())
print("said", clients_yield(5))
print("nice", os.getpriority(os.PRIO_PROCESS, 0))
"""


def run_child(tmp_path, **popen) -> list[str]:
    script = tmp_path / "clients.py"
    script.write_text(CHILD.format(base=str(BASE_DIR)))
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True, text=True, timeout=60, check=True, **popen,
    )  # fmt: skip
    return done.stdout.splitlines()


def test_the_clients_take_a_session_of_their_own_and_a_lower_priority(tmp_path):
    before = AUTOGROUP.read_text() if AUTOGROUP.exists() else None

    lines = run_child(tmp_path)

    assert lines[0] == "leader False True"
    assert lines[2] == f"nice {os.getpriority(os.PRIO_PROCESS, 0) + 5}"
    if before is not None:
        assert lines[1] == "said nice 5, autogroup 5"
        # The session the bench was started from (here pytest's) keeps its share.
        assert AUTOGROUP.read_text() == before
    else:
        assert lines[1] == "said nice 5 (no autogroup)"


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="the kernel shares no CPU by session")
def test_a_session_leader_keeps_its_session(tmp_path):
    lines = run_child(tmp_path, start_new_session=True)

    assert lines[0] == "leader True True"
    assert lines[1] == "said nice 5, autogroup 5"


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="the kernel shares no CPU by session")
def test_a_process_group_leader_runs_the_bench_again_in_a_session(tmp_path):
    # As an interactive shell starts a command: it leads its process group, and setsid fails.
    before = AUTOGROUP.read_text()

    lines = run_child(tmp_path, process_group=0)

    assert lines[0] == "leader True True"  # printed by the run in its own session
    assert lines[1] == "said nice 5, autogroup 5"
    assert AUTOGROUP.read_text() == before


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
