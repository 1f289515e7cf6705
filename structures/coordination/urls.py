from django.urls import path

from . import views

urlpatterns = [
    path("", views.coordination_dashboard, name="coordination"),
    path("fiches/<str:kind>/<int:pk>/relue/", views.fiche_reviewed, name="coordination_reviewed"),
    path(
        "fiches/<str:kind>/<int:pk>/historique/",
        views.fiche_history,
        name="coordination_history",
    ),
    path("structures/<int:pk>/rappel/", views.structure_remind, name="coordination_remind"),
    path("statistiques/", views.statistics_page, name="statistics"),
    path("statistiques/rapport.pdf", views.statistics_report, name="statistics_report"),
    path(
        "statistiques/<slug:slug>.<str:format>",
        views.statistics_download,
        name="statistics_download",
    ),
]
