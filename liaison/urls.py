from django.urls import path

from . import booklet_views, views

app_name = "liaison"

urlpatterns = [
    path("imprimer/", booklet_views.booklet_page, name="booklet"),
    path("imprimer/repertoire.pdf", booklet_views.booklet_pdf, name="booklet_pdf"),
    path("themes/<slug:slug>/livret.pdf", booklet_views.theme_pdf, name="theme_pdf"),
    path("structures/<slug:slug>/fiche.pdf", booklet_views.structure_pdf, name="structure_pdf"),
    path("liaison/nouvelle/", views.liaison_new, name="liaison_new"),
    path("liaison/vierge.pdf", views.liaison_blank, name="liaison_blank"),
    path("parcours/", views.parcours_detail, name="parcours"),
    path("parcours/ajouter/<int:service_id>/", views.parcours_add, name="parcours_add"),
    path("parcours/vierge.pdf", views.parcours_blank, name="parcours_blank"),
]
