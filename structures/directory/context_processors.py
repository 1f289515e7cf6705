from ..models import Territory, Theme


def directory(request):
    """The territory record and the theme tabs, shown on every page."""
    context = {"territory": Territory.load(), "tabs": [], "current_theme_slug": ""}
    if request.user.is_authenticated:
        context["tabs"] = Theme.objects.all()
        match = request.resolver_match
        if match and match.url_name == "theme_detail":
            context["current_theme_slug"] = match.kwargs["slug"]
    return context
