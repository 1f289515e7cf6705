from django.db import models


class StructureKind(models.TextChoices):
    SERVICE_MUNICIPAL = "service_municipal", "Service municipal"
    ORGANISME_PUBLIC = "organisme_public", "Organisme public"
    ASSOCIATION = "association", "Association"
    BAILLEUR_SOCIAL = "bailleur_social", "Bailleur social"
    ETABLISSEMENT_SANTE = "etablissement_sante", "Établissement de santé"
    AUTRE = "autre", "Autre"


class StepFreeAccess(models.TextChoices):
    OUI = "oui", "Oui"
    PARTIEL = "partiel", "Partiellement"
    NON = "non", "Non"
    INCONNU = "", "Non renseigné"


class Role(models.TextChoices):
    PARTENAIRE = "partenaire", "Partenaire"
    COORDINATION = "coordination", "Coordination"
