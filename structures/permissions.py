"""Role predicates: who may do what. Tiny functions, used by views, templates and tests."""


def is_coordinator(user) -> bool:
    """The coordination role (or a superuser): the admin and the dashboard."""
    return user.is_authenticated and user.is_coordinator


def is_editor(user) -> bool:
    """A partner with the éditeur right and a structure: may update its own structure's fiches."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_editor
        and user.structure_id is not None
    )


def can_edit_structure(user, structure) -> bool:
    return is_editor(user) and user.structure_id == structure.pk
