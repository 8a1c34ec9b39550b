"""Public URLs of the news desk that live outside Wagtail's page tree."""

urlpatterns: list = []
