"""A URL configuration with a view that fails, for the production logging test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def failing_view(request):
    return 1 / 0


urlpatterns = [path("panne/", failing_view)]
