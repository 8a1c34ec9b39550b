"""The demo's wire URLs: included by config/urls.py only while `newscast demo` runs
(settings.NEWSCAST_WIRE_SAMPLES), never in production."""

from django.urls import path

from newscast.wire import views

urlpatterns = [
    # Sample feeds for the demo and for trying the desk out (fictional copy, labelled).
    # The sample agency's "original" story pages, where the sample stories' links point.
    path("wire/samples/stories/<slug:slug>", views.sample_story, name="wire_sample_story"),
    path("wire/samples/<str:name>", views.sample_feed, name="wire_sample_feed"),
]
