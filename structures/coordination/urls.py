from django.urls import path

from . import views

urlpatterns = [
    path("", views.coordination_dashboard, name="coordination"),
]
