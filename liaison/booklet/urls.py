from django.urls import path

from . import views

urlpatterns = [
    path("imprimer/", views.booklet_page, name="booklet"),
    path("imprimer/repertoire.pdf", views.booklet_pdf, name="booklet_pdf"),
    path("imprimer/editions/<slug:key>/", views.edition_progress, name="edition_progress"),
    path("imprimer/editions/<slug:key>/pdf/", views.edition_file, name="edition_file"),
    path("imprimer/editions/<slug:key>/etat/", views.edition_status, name="edition_status"),
    path("themes/<slug:slug>/livret.pdf", views.theme_pdf, name="theme_pdf"),
    path("structures/<slug:slug>/fiche.pdf", views.structure_pdf, name="structure_pdf"),
]
