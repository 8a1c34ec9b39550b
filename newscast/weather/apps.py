from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "newscast.weather"
    label = "weather"
    verbose_name = "Weather desk"

    def ready(self):
        from newscast.core.versions import version_read_register
        from newscast.weather.selectors import ALERTS_VERSION_READ

        # Every page's warning banner is cached under the alerts' figures.
        version_read_register("weather-alerts", ALERTS_VERSION_READ)
