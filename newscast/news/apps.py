from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "newscast.news"
    label = "news"
    verbose_name = "News desk"

    def ready(self):
        from newscast.news import edge, signals  # noqa: F401 - connects the cache receivers
