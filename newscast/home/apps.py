from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "newscast.home"
    label = "home"
    verbose_name = "Home"
