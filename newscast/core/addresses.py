"""Which network addresses an outside URL may reach: public ones only, unless the operator says.

A URL an editor types or a feed contains must not make the server fetch from itself or its
neighbours (the loopback, a private LAN, a cloud's metadata service at 169.254.169.254). The
host is resolved once here, every address it resolves to is checked, and the connection is
made to an address that passed (newscast.core.http), so a name that resolves differently the
second time (DNS rebinding) gains nothing.

Hosts in settings.NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS (the demo's own sample feeds on
loopback) skip the check; production leaves that list empty.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# RFC 6598 shared address space (carrier-grade NAT); Python does not call it private.
CGNAT = ipaddress.ip_network("100.64.0.0/10")
# RFC 4193 unique local IPv6 addresses.
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
# RFC 6052 NAT64: the last 32 bits are an IPv4 address the gateway will reach.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """A host resolved to an address inside the network; `str()` says which and why."""


def embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), else ip itself."""
    if ip.version == 4:
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def internal_kind(ip: IPAddress) -> str | None:
    """Why ip is not a public address ("loopback", "private", ...), or None if it is public."""
    ip = embedded_ipv4(ip)
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared (CGNAT)", ip.version == 4 and ip in CGNAT),
        ("unique-local", ip.version == 6 and ip in UNIQUE_LOCAL),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not public", not ip.is_global),
    )
    return next((kind for kind, matches in checks if matches), None)


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host, in its order of preference."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def resolver() -> Callable[[str, int], list[str]]:
    """The resolver in settings.NEWSCAST_FETCH_RESOLVER (tests inject one), else the system's."""
    path = getattr(settings, "NEWSCAST_FETCH_RESOLVER", "")
    return import_string(path) if path else system_resolve


def host_allowed_inside(host: str) -> bool:
    allowed = getattr(settings, "NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS", ())
    return host.lower().strip("[]") in {name.lower() for name in allowed}


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for host:port; AddressRefused if any of them is internal.

    Every answer must be public, not just the first: the connection may fall back to any.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolver()(host, port)
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(f"{host} could not be resolved ({type(exc).__name__})") from exc
    if not addresses:
        raise AddressRefused(f"{host} resolved to no address")
    if host_allowed_inside(host):
        return addresses
    for address in addresses:
        kind = internal_kind(ipaddress.ip_address(address.split("%", 1)[0]))
        if kind:
            raise AddressRefused(
                f"{host} resolves to {address}, a {kind} address inside the network; Newscast "
                "fetches only public addresses (an operator can allow a host in "
                "FETCH_ALLOWED_PRIVATE_HOSTS)"
            )
    return addresses
