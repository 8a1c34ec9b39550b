from django.apps import AppConfig


class DatadeskConfig(AppConfig):
    name = "newscast.datadesk"
    label = "datadesk"
    verbose_name = "Data desk"
