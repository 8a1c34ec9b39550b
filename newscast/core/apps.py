from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "newscast.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from newscast.core import signals  # noqa: F401 - connects the content-version receivers

        # Each desk's tasks.py declares its scheduled jobs (core.jobs.JOBS); web processes
        # import them too, so /healthz, /metrics and the admin know every job.
        autodiscover_modules("tasks")
