from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Répertoire des compétences sociales — coordination"
admin.site.site_title = "Coordination du répertoire"
admin.site.index_title = "Tenir le répertoire à jour"

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("structures.urls")),
    path("", include("liaison.urls")),
]
