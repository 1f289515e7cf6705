from django.urls import path

from . import views

app_name = "liaison"

urlpatterns = [
    path("liaison/nouvelle/", views.liaison_new, name="liaison_new"),
    path("liaison/vierge.pdf", views.liaison_blank, name="liaison_blank"),
    path("parcours/", views.parcours_detail, name="parcours"),
    path("parcours/ajouter/<int:service_id>/", views.parcours_add, name="parcours_add"),
    path("parcours/vierge.pdf", views.parcours_blank, name="parcours_blank"),
]
