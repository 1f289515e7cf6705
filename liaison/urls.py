"""The printed documents, in the liaison namespace: fiche liaison, parcours, booklet."""

from django.urls import include, path

app_name = "liaison"

urlpatterns = [
    path("", include("liaison.booklet.urls")),
    path("", include("liaison.referral.urls")),
    path("", include("liaison.parcours.urls")),
]
