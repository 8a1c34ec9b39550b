from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "newscast.weather"
    label = "weather"
    verbose_name = "Weather desk"
