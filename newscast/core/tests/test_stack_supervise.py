"""`newscast stack`: parts that die are restarted with backoff; a PostgreSQL URL on a port no
cluster of this machine serves is reported, and no cluster is started or stopped."""

import sys

import pytest

from newscast.core import stack as stack_module
from newscast.core.stack import Stack, StackConfig, StackError

DIES_AT_ONCE = [sys.executable, "-c", "import sys; sys.exit(3)"]


@pytest.fixture
def stack(tmp_path):
    part = Stack(StackConfig(run_dir=tmp_path), say=lambda line: None)
    part._prepare_run_dir()
    part.env = {}
    yield part
    part.stop()


def test_a_part_that_dies_is_restarted_with_growing_delays(stack):
    stack.spawn("worker0", DIES_AT_ONCE, env={"PATH": "/usr/bin:/bin"})
    stack.processes["worker0"].wait(timeout=10)
    start = stack.restarts["worker0"].started_at
    [noticed] = stack.supervise(now=start + 0.5)
    assert noticed.startswith("worker0 stopped (exit 3); restarting in 1s")
    assert stack.supervise(now=start + 1.0) == []  # still waiting
    assert stack.supervise(now=start + 1.6) == ["worker0 restarted (restart 1 in a row)."]
    stack.processes["worker0"].wait(timeout=10)
    [again] = stack.supervise(now=stack.restarts["worker0"].started_at + 0.5)
    assert "restarting in 2s" in again  # dying quickly again doubles the delay


def test_a_part_that_stayed_up_starts_again_from_the_first_delay(stack):
    stack.spawn("worker0", DIES_AT_ONCE, env={"PATH": "/usr/bin:/bin"})
    stack.processes["worker0"].wait(timeout=10)
    stack.restarts["worker0"].count = 5
    later = stack.restarts["worker0"].started_at + stack_module.RESTART_STABLE_SECONDS + 1
    [noticed] = stack.supervise(now=later)
    assert "restarting in 1s" in noticed


def test_postgres_on_a_port_nobody_serves_is_reported_and_no_cluster_is_touched(
    stack, tmp_path, monkeypatch, closed_port
):
    conf = tmp_path / "etc" / "15" / "main" / "postgresql.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text("port = 5432\t\t# (change requires restart)\n")
    monkeypatch.setattr(stack_module, "POSTGRES_CONF_DIR", tmp_path / "etc")
    port = closed_port
    stack.config.database_url = f"postgres://postgres@127.0.0.1:{port}/nc_issue10_stack"
    with pytest.raises(StackError, match=f"no cluster of this machine is set to port {port}"):
        stack.ensure_postgres()
    assert stack.stop_postgres_cluster is None


def test_the_cluster_for_a_port_is_found_by_its_configuration(tmp_path, monkeypatch):
    for version, port in (("15", "5432"), ("16", "5433")):
        conf = tmp_path / version / "main" / "postgresql.conf"
        conf.parent.mkdir(parents=True)
        conf.write_text(f"# port = 9999\nport = {port}\n")
    monkeypatch.setattr(stack_module, "POSTGRES_CONF_DIR", tmp_path)
    assert stack_module._cluster_for_port(5433) == ("16", "main")
    assert stack_module._cluster_for_port(5432) == ("15", "main")
    assert stack_module._cluster_for_port(5434) is None
