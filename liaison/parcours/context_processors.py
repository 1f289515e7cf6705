from .selection import parcours_ids


def parcours(request):
    """The ids of the services in the parcours being prepared, for the "Ajouter" buttons."""
    ids = parcours_ids(request.session) if hasattr(request, "session") else []
    return {"parcours_service_ids": ids}
