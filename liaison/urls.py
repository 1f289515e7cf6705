from django.urls import path

from . import booklet_views

app_name = "liaison"

urlpatterns = [
    path("imprimer/", booklet_views.booklet_page, name="booklet"),
    path("imprimer/repertoire.pdf", booklet_views.booklet_pdf, name="booklet_pdf"),
    path("themes/<slug:slug>/livret.pdf", booklet_views.theme_pdf, name="theme_pdf"),
    path("structures/<slug:slug>/fiche.pdf", booklet_views.structure_pdf, name="structure_pdf"),
]
