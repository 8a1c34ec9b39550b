"""deploy/: the nginx configuration renders and passes `nginx -t`; gunicorn's config loads."""

import os
import runpy

import pytest

from newscast.core.stack import (
    GUNICORN_CONFIG,
    NGINX,
    StackConfig,
    StackError,
    nginx_config_test,
    render_nginx_config,
)


@pytest.fixture
def scale_out(tmp_path):
    return StackConfig(port=18580, web_port=18501, web_processes=2, run_dir=tmp_path)


def test_the_rendered_nginx_config_passes_nginx_t(scale_out, tmp_path):
    if not os.path.exists(NGINX):
        pytest.fail("Debian's nginx is missing: apt-get install nginx")
    config_path = tmp_path / "nginx.conf"
    config_path.write_text(render_nginx_config(scale_out))
    result = nginx_config_test(config_path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_config_balances_over_every_web_process_and_caches_pages(scale_out):
    text = render_nginx_config(scale_out)
    assert "server 127.0.0.1:18501 " in text and "server 127.0.0.1:18502 " in text
    assert "listen 127.0.0.1:18580 default_server;" in text
    assert "proxy_cache_bypass $editor_session;" in text
    assert "{{" not in text


def test_a_template_value_left_unfilled_is_an_error(scale_out, tmp_path):
    template = tmp_path / "broken.template"
    template.write_text("listen {{LISTEN}}; root {{DOCUMENT_ROOT}};")
    with pytest.raises(StackError, match="DOCUMENT_ROOT"):
        render_nginx_config(scale_out, template)


def test_gunicorn_reads_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:18999")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(GUNICORN_CONFIG))
    assert settings["bind"] == "127.0.0.1:18999"
    assert settings["workers"] == 3
    assert settings["preload_app"] is True
