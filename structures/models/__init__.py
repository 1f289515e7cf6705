from ..enums import Fee, Public, ReceptionMode, Role, StepFreeAccess, StructureKind, UsageEvent
from .accounts import StaleReminder, User
from .directory import Fiche, FicheQuerySet, Structure, StructureQuerySet, Theme, stale_threshold
from .hours import TemporaryChange, TemporaryChangeQuerySet
from .jobs import Job
from .search import SearchEntry, SearchEntryText, SearchWord, Synonym
from .services import Contact, Service, ServiceQuerySet
from .territory import Territory
from .usage import FreshnessSnapshot, UsageCount

__all__ = [
    "Contact",
    "Fee",
    "Fiche",
    "FicheQuerySet",
    "FreshnessSnapshot",
    "Job",
    "Public",
    "ReceptionMode",
    "Role",
    "SearchEntry",
    "SearchEntryText",
    "SearchWord",
    "Service",
    "ServiceQuerySet",
    "StaleReminder",
    "StepFreeAccess",
    "Structure",
    "StructureKind",
    "StructureQuerySet",
    "Synonym",
    "TemporaryChange",
    "TemporaryChangeQuerySet",
    "Territory",
    "Theme",
    "UsageCount",
    "UsageEvent",
    "User",
    "stale_threshold",
]
