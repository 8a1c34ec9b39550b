"""Public URLs of the wire desk that live outside Wagtail's page tree."""

urlpatterns: list = []
