from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<slug:slug>/", views.structure_detail, name="structure_detail"),
    path(
        "structures/<slug:structure_slug>/<slug:slug>/",
        views.service_detail,
        name="service_detail",
    ),
    path("annexes/", views.annex_list, name="annex_list"),
    path("recherche/", views.search, name="search"),
    path("sante/", views.health, name="health"),
]
