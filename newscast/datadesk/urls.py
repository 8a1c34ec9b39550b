"""Public URLs of the datadesk desk that live outside Wagtail's page tree."""

urlpatterns: list = []
