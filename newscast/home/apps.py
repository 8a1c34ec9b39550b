from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "newscast.home"
    label = "home"
    verbose_name = "Home"

    def ready(self):
        from newscast.home import checks  # noqa: F401  (registers the deploy checks)
