"""Site-wide URLs that belong to no single desk."""

urlpatterns: list = []
