from django.contrib import admin
from django.urls import include, path

from structures.accounts.forms import AdminLoginForm

admin.site.site_header = "Répertoire des compétences sociales — coordination"
admin.site.site_title = "Coordination du répertoire"
admin.site.index_title = "Tenir le répertoire à jour"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", include("structures.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("liaison.urls")),
    path("", include("structures.urls")),
]
