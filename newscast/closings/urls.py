"""Public URLs of the closings desk (included at the site root)."""

from django.urls import path

from newscast.closings import views
from newscast.closings.feeds import ClosingsFeed

app_name = "closings"

urlpatterns = [
    path("closings/", views.board, name="board"),
    path("closings/rss/", ClosingsFeed(), name="rss"),
    path("closings/report/", views.report, name="report"),
    path("api/v1/closings/", views.api, name="api"),
]
