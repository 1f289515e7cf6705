from ..enums import Role, StepFreeAccess, StructureKind
from .accounts import StaleReminder, User
from .directory import (
    Contact,
    Fiche,
    FicheQuerySet,
    Service,
    ServiceQuerySet,
    Structure,
    StructureQuerySet,
    Territory,
    Theme,
    stale_threshold,
)

__all__ = [
    "Contact",
    "Fiche",
    "FicheQuerySet",
    "Role",
    "Service",
    "ServiceQuerySet",
    "StaleReminder",
    "StepFreeAccess",
    "Structure",
    "StructureKind",
    "StructureQuerySet",
    "Territory",
    "Theme",
    "User",
    "stale_threshold",
]
