from django.urls import path

from . import views

urlpatterns = [
    path("parcours/", views.parcours_detail, name="parcours"),
    path("parcours/ajouter/<int:service_id>/", views.parcours_add, name="parcours_add"),
    path("parcours/vierge.pdf", views.parcours_blank, name="parcours_blank"),
]
