"""The person's handout in their own language: the languages offered and the fixed labels.

The labels are French msgids translated in `locale/<language>/LC_MESSAGES/django.po`
(one catalogue per language, correctable by a native speaker without touching code);
the handout prints each label in French and in the chosen language. The directory's own
texts (names, addresses, hours) stay in French. The language is never stored.
"""

from datetime import date

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_noop


class HandoutLanguage(models.TextChoices):
    ARABIC = "ar", "arabe — العربية"
    DARI = "prs", "dari — دری"
    PASHTO = "ps", "pachto — پښتو"
    ENGLISH = "en", "anglais — English"
    UKRAINIAN = "uk", "ukrainien — Українська"
    RUSSIAN = "ru", "russe — Русский"
    ROMANIAN = "ro", "roumain — Română"
    SPANISH = "es", "espagnol — Español"
    TIGRINYA = "ti", "tigrigna — ትግርኛ"
    GEORGIAN = "ka", "géorgien — ქართული"
    TURKISH = "tr", "turc — Türkçe"
    PORTUGUESE = "pt", "portugais — Português"


RIGHT_TO_LEFT = frozenset({HandoutLanguage.ARABIC, HandoutLanguage.DARI, HandoutLanguage.PASHTO})

LABELS = [
    gettext_noop("Mon parcours"),
    gettext_noop("Date"),
    gettext_noop("Mon prénom"),
    gettext_noop("Mes difficultés"),
    gettext_noop("Qui peut m'aider"),
    gettext_noop("Ce qu'elle fait pour moi"),
    gettext_noop("Adresse"),
    gettext_noop("Bus"),
    gettext_noop("Quand y aller"),
    gettext_noop("Attention"),  # a closure or a change in the next 30 days
    gettext_noop("Téléphone"),
    gettext_noop("Qui demander"),
    gettext_noop("Ce que j'apporte"),
    gettext_noop("Mes rendez-vous"),
    gettext_noop("Heure"),
    gettext_noop("Avec qui"),
    gettext_noop("Où"),
    gettext_noop("Mes démarches"),
    gettext_noop("Contacter"),
    gettext_noop("Préparer mes papiers, puis contacter"),
    gettext_noop("Aller à mes rendez-vous"),
    gettext_noop("Notes"),
    gettext_noop("Nom"),
    gettext_noop("Pas de rendez-vous pour le moment."),
]
WEEKDAYS = [
    gettext_noop("lundi"),
    gettext_noop("mardi"),
    gettext_noop("mercredi"),
    gettext_noop("jeudi"),
    gettext_noop("vendredi"),
    gettext_noop("samedi"),
    gettext_noop("dimanche"),
]
MONTHS = [
    gettext_noop("janvier"),
    gettext_noop("février"),
    gettext_noop("mars"),
    gettext_noop("avril"),
    gettext_noop("mai"),
    gettext_noop("juin"),
    gettext_noop("juillet"),
    gettext_noop("août"),
    gettext_noop("septembre"),
    gettext_noop("octobre"),
    gettext_noop("novembre"),
    gettext_noop("décembre"),
]
# The person's words for the usual themes (structures/migrations/0005_theme_person_label):
# a label the coordinator writes differently prints in French only until a catalogue has it.
THEME_LABELS = [
    gettext_noop("Faire garder mon enfant"),
    gettext_noop("Être écouté et accompagné"),
    gettext_noop("Avoir une aide en urgence"),
    gettext_noop("Avoir à manger et des vêtements"),
    gettext_noop("Rencontrer des gens"),
    gettext_noop("Aider mes enfants"),
    gettext_noop("Trouver un travail"),
    gettext_noop("Apprendre un métier ou le français"),
    gettext_noop("Trouver un logement"),
    gettext_noop("Me soigner"),
    gettext_noop("Vivre avec un handicap"),
    gettext_noop("Connaître mes droits, faire mes papiers"),
]
FIXED_LABELS = frozenset(LABELS)


def handout_language(code: str) -> HandoutLanguage | None:
    """The language of that code, or None for a handout in French only."""
    return HandoutLanguage(code) if code in HandoutLanguage.values else None


def handout_translate(text: str, *, language: HandoutLanguage) -> str:
    """The text in the handout's language; the French text when no catalogue has it."""
    with translation.override(language.value):
        return translation.gettext(text)


def handout_day(day: date, *, language: HandoutLanguage | None, year: bool = False) -> str:
    """ "jeudi 3 décembre", in French or, word by word, in the handout's language."""
    weekday, month = WEEKDAYS[day.weekday()], MONTHS[day.month - 1]
    if language is not None:
        weekday = handout_translate(weekday, language=language)
        month = handout_translate(month, language=language)
    number = "1er" if day.day == 1 and language is None else str(day.day)
    return f"{weekday} {number} {month}" + (f" {day.year}" if year else "")
