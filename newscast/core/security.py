"""Content-Security-Policy with one policy for readers' pages and a looser one for the admin."""

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
