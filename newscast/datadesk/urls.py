"""Public URLs of the data desk: pages and downloads under /data/, the API under /api/v1/data/."""

from django.urls import path, re_path

from newscast.datadesk import views
from newscast.datadesk.api import api

DATASET = r"^data/(?P<dataset_slug>[-a-zA-Z0-9_]+)/"
STATE = DATASET + r"(?P<state_code>[A-Za-z]{2})"

urlpatterns = [
    path("data/", views.data_index, name="datadesk_index"),
    re_path(DATASET + "$", views.dataset_detail, name="datadesk_dataset"),
    re_path(
        STATE + r"\.(?P<extension>csv|json)$", views.state_download, name="datadesk_state_download"
    ),
    re_path(STATE + "/history.csv$", views.state_history_download, name="datadesk_state_history"),
    re_path(STATE + "/$", views.state_detail, name="datadesk_state"),
    re_path(STATE + r"/(?P<fips>\d{5})/$", views.county_detail, name="datadesk_county"),
    path("api/v1/data/", api.urls),
]
