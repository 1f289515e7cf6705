"""The directory's pages, in the structures namespace: browsing, Mon espace, coordination."""

from django.urls import include, path

app_name = "structures"

urlpatterns = [
    path("", include("structures.directory.urls")),
    path("mon-espace/", include("structures.espace.urls")),
    path("coordination/", include("structures.coordination.urls")),
]
