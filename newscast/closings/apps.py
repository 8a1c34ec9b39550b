from django.apps import AppConfig


class ClosingsConfig(AppConfig):
    name = "newscast.closings"
    label = "closings"
    verbose_name = "Closings desk"
