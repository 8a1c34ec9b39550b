"""Admin: a "Weather desk" menu item with the desk's status page."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newscast.weather import admin_views


@hooks.register("register_admin_urls")
def register_weather_admin_urls():
    return [
        path("weather/", admin_views.status, name="weather_admin_status"),
        path("weather/refresh/", admin_views.refresh_now, name="weather_admin_refresh"),
        path("weather/drill/", admin_views.drill, name="weather_admin_drill"),
    ]


@hooks.register("register_admin_menu_item")
def register_weather_menu_item():
    return MenuItem("Weather desk", reverse("weather_admin_status"), icon_name="site", order=280)
