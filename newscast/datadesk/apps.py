from django.apps import AppConfig


class DatadeskConfig(AppConfig):
    name = "newscast.datadesk"
    label = "datadesk"
    verbose_name = "Data desk"

    def ready(self):
        from newscast.core.health import check_register
        from newscast.core.versions import version_read_register
        from newscast.datadesk.selectors import DATA_VERSION_READS, queued_loads_check

        # /healthz: a "Load now" the queue lost (never started) degrades the report.
        check_register("datadesk_queued_loads", queued_loads_check)
        # The sidebar widget is cached under the last load and dataset edit.
        for name, (sql, params) in DATA_VERSION_READS.items():
            version_read_register(name, sql, params)
