from django.apps import AppConfig


class DatadeskConfig(AppConfig):
    name = "newscast.datadesk"
    label = "datadesk"
    verbose_name = "Data desk"

    def ready(self):
        from newscast.core.health import check_register
        from newscast.datadesk.selectors import queued_loads_check

        # /healthz: a "Load now" the queue lost (never started) degrades the report.
        check_register("datadesk_queued_loads", queued_loads_check)
