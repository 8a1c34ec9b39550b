from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "newscast.news"
    label = "news"
    verbose_name = "News desk"
