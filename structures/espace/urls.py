"""/mon-espace/…: included by structures/urls.py, in the structures namespace."""

from django.urls import path

from . import changes, views

urlpatterns = [
    path("", views.espace_home, name="espace"),
    path("fiche/", views.structure_edit, name="espace_structure_edit"),
    path("fiche/a-jour/", views.structure_confirm, name="espace_structure_confirm"),
    path("contacts/", views.contacts_edit, name="espace_contacts_edit"),
    path("changements/", changes.changes_edit, name="espace_changes_edit"),
    path("services/nouveau/", views.service_create, name="espace_service_create"),
    path("services/<int:pk>/", views.service_edit, name="espace_service_edit"),
    path("services/<int:pk>/a-jour/", views.service_confirm, name="espace_service_confirm"),
    path(
        "services/<int:pk>/desactiver/",
        views.service_set_active,
        {"active": False},
        name="espace_service_deactivate",
    ),
    path(
        "services/<int:pk>/reactiver/",
        views.service_set_active,
        {"active": True},
        name="espace_service_reactivate",
    ),
]
