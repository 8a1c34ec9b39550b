"""Content-Security-Policy with one policy for readers' pages and a looser one for the admin;
the client address the login throttle (django-axes) counts failures against."""

import ipaddress

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PATH_PREFIX = "/admin/"


class StationCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, giving Wagtail's admin (and its previews) the admin policy.

    Readers' pages get settings.CONTENT_SECURITY_POLICY_DIRECTIVES: scripts from our own
    origin only. Wagtail's editor still relies on inline scripts, so /admin/ gets
    CONTENT_SECURITY_POLICY_ADMIN_DIRECTIVES instead of no policy at all.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PATH_PREFIX):
            admin_policy = settings.CONTENT_SECURITY_POLICY_ADMIN_DIRECTIVES
            if getattr(settings, "CONTENT_SECURITY_POLICY", None):
                response._csp_config = admin_policy
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
                response._csp_config_ro = admin_policy
        return super().process_response(request, response)


def client_ip(request) -> str | None:
    """The reader's address: X-Real-IP only when the request came from a trusted proxy.

    nginx (deploy/nginx.conf.template) overwrites X-Real-IP with the address it saw; anyone
    else could put any address there and dodge the lockout, so from anywhere but
    settings.TRUSTED_PROXIES the connection's own address counts.
    """
    remote = request.META.get("REMOTE_ADDR")
    if remote not in getattr(settings, "TRUSTED_PROXIES", ()):
        return remote
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return remote
