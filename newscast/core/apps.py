from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "newscast.core"
    label = "core"
    verbose_name = "Core"
