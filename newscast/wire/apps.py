from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "newscast.wire"
    label = "wire"
    verbose_name = "Wire desk"
