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


# The data·inclusion v1 vocabularies (data_inclusion.schema.v1), with the schema's labels;
# tests/test_filters.py checks that they still match the package.
class Public(models.TextChoices):
    TOUS_PUBLICS = "tous-publics", "Tous publics"
    ACTIFS = "actifs", "Actifs"
    MINIMAS_SOCIAUX = "beneficiaires-des-minimas-sociaux", "Bénéficiaires des minimas sociaux"
    DEMANDEURS_EMPLOI = "demandeurs-emploi", "Demandeurs d’emploi"
    ETUDIANTS = "etudiants", "Étudiants"
    FAMILLES = "familles", "Familles"
    FEMMES = "femmes", "Femmes"
    JEUNES = "jeunes", "Jeunes"
    HANDICAP = "personnes-en-situation-de-handicap", "Personnes en situation de handicap"
    URGENCE = "personnes-en-situation-durgence", "Personnes en situation d’urgence"
    SITUATION_JURIDIQUE = (
        "personnes-en-situation-juridique-specifique",
        "Personnes en situation juridique spécifique",
    )
    EXILEES = "personnes-exilees", "Personnes exilées"
    QPV_FRR = "residents-qpv-frr", "Résidents en QPV ou FRR"
    SENIORS = "seniors", "Séniors"


class Fee(models.TextChoices):
    INCONNU = "", "Non renseigné"
    GRATUIT = "gratuit", "Gratuit"
    PAYANT = "payant", "Payant"


class ReceptionMode(models.TextChoices):
    EN_PRESENTIEL = "en-presentiel", "Sur place"
    A_DISTANCE = "a-distance", "À distance"


class UsageEvent(models.TextChoices):
    """What is counted, per day; with the structure and the fiche or theme it concerns."""

    SEARCH = "recherche", "Recherche"
    SEARCH_EMPTY = "recherche_sans_resultat", "Recherche sans résultat"
    THEME_VIEW = "vue_thematique", "Onglet consulté"
    STRUCTURE_VIEW = "vue_structure", "Fiche d'identité consultée"
    SERVICE_VIEW = "vue_fiche", "Fiche service consultée"
    BOOKLET_DOWNLOAD = "telechargement_livret", "Livret téléchargé"
    STRUCTURE_PDF_DOWNLOAD = "telechargement_fiche_pdf", "Fiche PDF d'une structure téléchargée"
    PARTNER_ACTIVE = "compte_actif", "Compte actif dans le mois"
    PARTNER_EDIT = "modification_partenaire", "Modification par un partenaire"
    COORDINATION_EDIT = "modification_coordination", "Modification par la coordination"
    REVIEW_CONFIRMED = "fiche_confirmee", "Fiche confirmée « à jour »"


class SlotMode(models.TextChoices):
    """How one is received during a slot of the opening hours; the value is the comment of
    the OSM rule (« Mo 09:00-12:00 "sur rendez-vous" »)."""

    NON_PRECISE = "", "Non précisé"
    SUR_RENDEZ_VOUS = "sur rendez-vous", "Sur rendez-vous"
    SANS_RENDEZ_VOUS = "sans rendez-vous", "Sans rendez-vous"


class ChangeKind(models.TextChoices):
    FERMETURE = "fermeture", "Fermeture"
    HORAIRES = "horaires", "Horaires modifiés pour la période"
    COMPLET = "complet", "Complet – liste d'attente"
    MESSAGE = "message", "Message"
