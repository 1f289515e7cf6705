from django.urls import path

from . import views

urlpatterns = [
    path("imprimer/", views.booklet_page, name="booklet"),
    path("imprimer/repertoire.pdf", views.booklet_pdf, name="booklet_pdf"),
    path("themes/<slug:slug>/livret.pdf", views.theme_pdf, name="theme_pdf"),
    path("structures/<slug:slug>/fiche.pdf", views.structure_pdf, name="structure_pdf"),
]
