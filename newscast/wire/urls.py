"""Public URLs of the wire desk that live outside Wagtail's page tree."""

from django.urls import path

from newscast.wire import views

urlpatterns = [
    # Sample feeds for the demo and for trying the desk out (fictional copy, labelled).
    path("wire/samples/<str:name>", views.sample_feed, name="wire_sample_feed"),
]
