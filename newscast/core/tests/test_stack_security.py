"""Production settings: security headers, CSP, admin login throttling, refusing to start bare."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db

ENFORCED_CSP = override_settings(
    CONTENT_SECURITY_POLICY={"DIRECTIVES": settings.CONTENT_SECURITY_POLICY_DIRECTIVES},
    CONTENT_SECURITY_POLICY_REPORT_ONLY=None,
)


def newscast(*args, **env_overrides):
    """Run the CLI with production settings and a clean environment (no .env secrets)."""
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
    dropped = ("SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "newscast.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_production_refuses_to_start_without_a_secret_key():
    result = newscast("check")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    key = "k" * 20 + "-production-like-secret-key-of-enough-length-and-variety-9f3a"
    # The station's launch checklist (newscast/home/checks.py) is tested on its own.
    result = newscast(
        "check", "--deploy", "--tag", "security", "--fail-level", "WARNING", SECRET_KEY=key
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@ENFORCED_CSP
def test_readers_pages_get_a_strict_script_policy(client):
    response = client.get("/")
    # Directives in any order (django-csp builds the header from a dict).
    directives = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"


@ENFORCED_CSP
def test_the_wagtail_admin_gets_its_own_policy_and_its_login_page_works(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert "'unsafe-inline'" in response["Content-Security-Policy"].split("script-src")[1]


def test_other_environments_only_report_the_policy(client):
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


# The values production.py sets (check --deploy above proves production sets them).
@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_REFERRER_POLICY="strict-origin-when-cross-origin",
    X_FRAME_OPTIONS="SAMEORIGIN",
)
def test_security_headers_on_a_public_page(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@override_settings(AXES_ENABLED=True)
def test_the_admin_login_locks_after_five_wrong_passwords(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.com", "right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post("/admin/login/", {"username": "editor", "password": "nope"})
        assert wrong.status_code == 200  # the form again, with an error
    locked = client.post("/admin/login/", {"username": "editor", "password": "nope"})
    assert locked.status_code == 429
    # Even the right password is refused while locked out.
    again = client.post("/admin/login/", {"username": "editor", "password": "right-password-1"})
    assert again.status_code == 429
    # Another editor from the same address is not locked out.
    django_user_model.objects.create_superuser("producer", "p@example.com", "right-password-2")
    other = client.post("/admin/login/", {"username": "producer", "password": "right-password-2"})
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("remote", "real_ip", "counted"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # nginx on loopback says who it was
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # anyone else cannot pick an address
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("198.51.100.7", "", "198.51.100.7"),
    ],
)
def test_the_login_throttle_trusts_x_real_ip_only_from_trusted_proxies(remote, real_ip, counted):
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=remote, HTTP_X_REAL_IP=real_ip)
    assert get_client_ip_address(request) == counted


@override_settings(AXES_ENABLED=True)
def test_a_forged_x_real_ip_does_not_dodge_the_lockout(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.com", "right-password-1")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "nope"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_REAL_IP=f"203.0.113.{attempt}",
        )
    again = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password-1"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_REAL_IP="203.0.113.200",
    )
    assert again.status_code == 429
