"""Site-wide URLs that belong to no single desk: operations endpoints."""

from django.urls import path

from newscast.core.health import healthz
from newscast.core.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
