from django.urls import path

from . import views

urlpatterns = [
    path("liaison/nouvelle/", views.liaison_new, name="liaison_new"),
    path("liaison/vierge.pdf", views.liaison_blank, name="liaison_blank"),
]
