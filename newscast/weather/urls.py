"""Public URLs of the weather desk that live outside Wagtail's page tree."""

urlpatterns: list = []
