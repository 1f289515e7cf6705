from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from structures.accounts import AccountPasswordResetForm, LoginForm

admin.site.site_header = "Répertoire des compétences sociales — coordination"
admin.site.site_title = "Coordination du répertoire"
admin.site.index_title = "Tenir le répertoire à jour"

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(form_class=AccountPasswordResetForm),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include("liaison.urls")),
    path("", include("structures.urls")),
]
