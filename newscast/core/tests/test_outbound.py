"""The address-checked client and the bounded download, against a hostile loopback server.

The replay servers listen on loopback, which test settings allow; tests here empty or narrow
NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS to see the check refuse, and resolve made-up names
through hostile.lab_resolve (NEWSCAST_FETCH_RESOLVER) to play DNS tricks without the internet.
"""

import ipaddress
import time

import pytest

from newscast.core.addresses import AddressRefused, checked_addresses, internal_kind
from newscast.core.http import FetchError, build_checked_client, fetch
from newscast.core.tests.hostile import SECRET_BODY, hostile_server, lab_calls, lab_dns


@pytest.fixture
def lab(settings):
    lab_dns(settings)
    return settings


@pytest.fixture
def client():
    with build_checked_client() as c:
        yield c


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00:ec2::254", "unique-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("224.0.0.251", "multicast"),
        ("239.1.2.3", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_internal_kind(address, kind):
    assert internal_kind(ipaddress.ip_address(address)) == kind


def test_loopback_refused_with_allow_list_empty(settings, client):
    settings.NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = []
    with hostile_server() as base, pytest.raises(FetchError) as info:
        fetch(client, base + "/secret")
    assert "loopback address inside the network" in str(info.value)
    assert not info.value.retryable


def test_allowed_host_reaches_the_address_it_was_checked_at(lab, client):
    """feeds.example.test exists only in LAB_DNS: reaching it proves we connect to our answer."""
    with hostile_server() as base:
        port = base.rsplit(":", 1)[1]
        got = fetch(client, f"http://feeds.example.test:{port}/feed")
    assert got.status == 200 and b"<rss" in got.content
    assert lab_calls == ["feeds.example.test"]


@pytest.mark.parametrize(
    "target",
    ["{base}/secret", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/secret"],
)
def test_redirect_into_the_machine_is_refused(lab, client, target):
    with hostile_server(redirects={"/go": target}) as base:
        port = base.rsplit(":", 1)[1]
        with pytest.raises(FetchError) as info:
            fetch(client, f"http://feeds.example.test:{port}/go")
    assert "inside the network" in str(info.value)
    assert SECRET_BODY.decode() not in str(info.value)


def test_rebinding_name_with_any_internal_answer_is_refused(lab):
    with pytest.raises(AddressRefused, match="127.0.0.1, a loopback"):
        checked_addresses("rebind.example.test", 80)
    with pytest.raises(AddressRefused, match="169.254.169.254, a link-local"):
        checked_addresses("metadata.example.test", 80)


def test_drip_feed_stops_at_the_deadline(client):
    started = time.monotonic()
    with hostile_server() as base, pytest.raises(FetchError, match="within the time allowed"):
        fetch(client, base + "/drip", deadline_seconds=1.0)
    assert time.monotonic() - started < 3.0  # the drip alone would take 8 s


def test_endless_chunked_body_stops_at_the_cap(client):
    with hostile_server() as base, pytest.raises(FetchError, match="over the 1,000,000-byte cap"):
        fetch(client, base + "/endless", max_bytes=1_000_000)


def test_gzip_bomb_stops_at_the_cap(client):
    with hostile_server() as base, pytest.raises(FetchError, match="over the 1,000,000-byte cap"):
        fetch(client, base + "/gzip-bomb", max_bytes=1_000_000)


def test_gzip_body_within_the_cap_is_decoded(client):
    with hostile_server() as base:
        got = fetch(client, base + "/gzip-bomb", max_bytes=128 * 1024 * 1024)
    assert len(got.content) == 64 * 1024 * 1024 and not got.content.strip(b"\0")


def test_huge_declared_length_refused_before_reading(client):
    with hostile_server() as base, pytest.raises(FetchError, match="53,687,091,200 bytes"):
        fetch(client, base + "/huge-length", max_bytes=1_000_000)


def test_error_never_repeats_the_body(client):
    with hostile_server() as base, pytest.raises(FetchError) as info:
        fetch(client, base + "/secret-500", attempts=1)
    assert "HTTP 500" in str(info.value)
    assert SECRET_BODY.decode() not in str(info.value)


def test_json_nested_too_deep_is_refused_in_one_line():
    from newscast.core.jsondata import JSONTooDeep, json_parse

    assert json_parse("[" * 64 + "]" * 64)  # the limit itself is fine
    with pytest.raises(JSONTooDeep, match="^the JSON is nested deeper than 64 levels$"):
        json_parse("[" * 65 + "]" * 65)
    with pytest.raises(JSONTooDeep):
        json_parse('{"a":' * 100_000 + "1" + "}" * 100_000)  # past Python's own recursion
