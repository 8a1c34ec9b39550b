"""deploy/systemd/: the units parse, and every command they run exists in this project."""

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

UNITS = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
ROOT = UNITS.parents[1]


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """{section: {key: [values]}}: systemd allows a key (Environment=) more than once."""
    sections: dict[str, dict[str, list[str]]] = {}
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = sections.setdefault(line[1:-1], {})
        elif line and not line.startswith("#"):
            key, value = line.split("=", 1)
            section.setdefault(key, []).append(value)
    return sections


def test_the_units_are_the_web_the_worker_and_the_nightly_backup():
    assert sorted(p.name for p in UNITS.iterdir()) == [
        "newscast-backup.service", "newscast-backup.timer",
        "newscast-web.service", "newscast-worker.service",
    ]  # fmt: skip


def test_each_service_runs_a_real_command_as_the_newscast_user_with_production_settings():
    commands = get_commands()
    for name in ("newscast-web.service", "newscast-worker.service", "newscast-backup.service"):
        service = unit(name)["Service"]
        assert service["User"] == ["newscast"], name
        assert service["EnvironmentFile"] == ["/etc/newscast/newscast.env"], name
        assert "DJANGO_SETTINGS_MODULE=config.settings.production" in service["Environment"]
        [exec_start] = service["ExecStart"]
        argv = shlex.split(exec_start)
        if "gunicorn" in argv[0]:
            config = argv[argv.index("-c") + 1]
            assert (ROOT / config).is_file() and argv[-1] == "config.wsgi:application"
        else:
            words = shlex.split(argv[-1]) if argv[0] == "/bin/sh" else argv
            assert words[words.index("/srv/newscast/.venv/bin/newscast") + 1] in commands, name
    assert unit("newscast-backup.timer")["Timer"]["OnCalendar"] == ["*-*-* 03:30:00"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units():
    files = sorted(str(p) for p in UNITS.iterdir())
    done = subprocess.run(
        ["systemd-analyze", "verify", *files], capture_output=True, text=True, timeout=60
    )
    # This machine is not the server: only the absent /srv/newscast binaries may be reported.
    complaints = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and "/srv/newscast/.venv/bin/" not in line
    ]
    assert complaints == []
