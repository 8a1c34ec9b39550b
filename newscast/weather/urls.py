"""Public URLs of the weather desk (included at the site root)."""

from django.urls import path

from newscast.weather import views

app_name = "weather"

urlpatterns = [
    path("weather/", views.index, name="index"),
    path("weather/radar/", views.radar, name="radar"),
    path("weather/radar/<str:site>/loop.gif", views.radar_image, name="radar_image"),
    path("weather/temperatures/", views.temperatures, name="temperatures"),
    path("weather/alerts/", views.alerts, name="alerts"),
]
