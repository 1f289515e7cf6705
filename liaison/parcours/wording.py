"""French sentences of the fiche parcours: a structure's name with its article.

"Contacter la Caisse d'allocations familiales", "l'OPAC", "le Centre communal d'action
sociale", "les Restos du cœur", "France Travail" (a proper name takes none). The article
is guessed from the first word of the name; a name that already starts with its article
("La Croix-Rouge") keeps it, lower-cased in the middle of a sentence.
"""

import re

FEMININE = frozenset(
    [
        "agence",
        "aide",
        "antenne",
        "armée",
        "association",
        "assurance",
        "banque",
        "boutique",
        "caisse",
        "cellule",
        "cité",
        "clinique",
        "communauté",
        "coordination",
        "croix-rouge",
        "délégation",
        "direction",
        "école",
        "entreprise",
        "épicerie",
        "équipe",
        "fédération",
        "fondation",
        "halte",
        "maison",
        "mairie",
        "maternité",
        "médiathèque",
        "mission",
        "mutuelle",
        "permanence",
        "plateforme",
        "préfecture",
        "protection",
        "régie",
        "résidence",
        "sécurité",
        "société",
        "structure",
        "unité",
        "université",
        "ville",
    ]
)
MASCULINE = frozenset(
    [
        "accueil",
        "atelier",
        "bureau",
        "cabinet",
        "café",
        "carrefour",
        "centre",
        "club",
        "collectif",
        "comité",
        "conseil",
        "département",
        "dispositif",
        "espace",
        "établissement",
        "foyer",
        "groupement",
        "hôpital",
        "hôtel",
        "institut",
        "lieu",
        "local",
        "office",
        "planning",
        "point",
        "relais",
        "réseau",
        "restaurant",
        "secours",
        "service",
        "syndicat",
        "vestiaire",
    ]
)
# Acronyms whose gender is not the masculine most of them take.
FEMININE_ACRONYMS = frozenset(
    [
        "adil",
        "apl",
        "caf",
        "carsat",
        "cpam",
        "cram",
        "maia",
        "mdph",
        "mdr",
        "mdm",
        "mjc",
        "msa",
        "msap",
        "pmi",
        "udaf",
    ]
)
# Acronyms read as words, that take "l'" before a vowel: all of them do in French.
VOWELS = "aeiouyàâäéèêëîïôöùûüœ"
MUTE_H = ("habitat", "hébergement", "hôpital", "hôtel", "hôtel-dieu")
LEADING_ARTICLE = re.compile(r"^(?:(les|le|la)\s+|(l)[’']\s*)(?=\S)", re.IGNORECASE)


def _first_word(name: str) -> str:
    return re.split(r"[\s’']", name.strip(), maxsplit=1)[0]


def _article(word: str) -> str:
    lower = word.casefold()
    is_acronym = len(word) > 1 and word.isupper()
    if is_acronym:
        article = "la " if lower in FEMININE_ACRONYMS else "le "
    elif lower in FEMININE:
        article = "la "
    elif lower in MASCULINE:
        article = "le "
    elif lower.endswith(("s", "x")) and lower[:-1] in FEMININE | MASCULINE | {"resto", "petit"}:
        return "les "
    else:
        return ""  # a proper name: "France Travail", "Emmaüs"
    if lower[0] in VOWELS or lower.startswith(MUTE_H):
        return "l'"
    return article


def with_article(name: str) -> str:
    """The name as it reads after a verb or a preposition: "la Caisse d'allocations…"."""
    name = name.strip()
    match = LEADING_ARTICLE.match(name)
    if match:
        article = f"{match.group(1).lower()} " if match.group(1) else "l'"
        return article + name[match.end() :]
    return _article(_first_word(name)) + name if name else ""
