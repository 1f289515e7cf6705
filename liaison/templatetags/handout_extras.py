"""The fiche parcours' labels, printed in French and in the person's language."""

from django import template
from django.utils.html import format_html

from ..parcours.handout import (
    FIXED_LABELS,
    RIGHT_TO_LEFT,
    handout_day,
    handout_translate,
)

register = template.Library()


def _bilingual(french: str, translated: str | None, language) -> str:
    if not translated or translated == french:
        return format_html('<span class="fr">{}</span>', french)
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    return format_html(
        '<span class="fr">{}</span><span class="sep"> · </span>'
        '<span class="tr" lang="{}" dir="{}">{}</span>',
        french,
        language.value,
        direction,
        translated,
    )


@register.simple_tag(takes_context=True)
def bilingual(context, label: str) -> str:
    """A fixed label (handout.LABELS): in French, then in the handout's language, if any."""
    if label not in FIXED_LABELS:
        raise template.TemplateSyntaxError(f"{label!r} is not a label of handout.LABELS.")
    language = context.get("language")
    translated = handout_translate(label, language=language) if language else None
    return _bilingual(label, translated, language)


@register.simple_tag(takes_context=True)
def in_language(context, label: str) -> str:
    """A fixed label in the handout's language only, after a French sentence that says it."""
    language = context.get("language")
    if label not in FIXED_LABELS:
        raise template.TemplateSyntaxError(f"{label!r} is not a label of handout.LABELS.")
    if not language:
        return ""
    return format_html(
        ' · <span class="tr" lang="{}" dir="{}">{}</span>',
        language.value,
        "rtl" if language in RIGHT_TO_LEFT else "ltr",
        handout_translate(label, language=language),
    )


@register.simple_tag(takes_context=True)
def bilingual_theme(context, theme) -> str:
    """A theme in the person's words, translated when a catalogue knows those words."""
    language = context.get("language")
    label = theme.for_person
    translated = handout_translate(label, language=language) if language else None
    return _bilingual(label, translated, language)


@register.simple_tag(takes_context=True)
def bilingual_day(context, day, year=False) -> str:
    """ "jeudi 3 décembre" in French, then in the handout's language."""
    language = context.get("language")
    translated = handout_day(day, language=language, year=year) if language else None
    return _bilingual(handout_day(day, language=None, year=year), translated, language)


@register.inclusion_tag("liaison/parcours/_picto.html")
def picto(name: str) -> dict:
    """A pictogram of static/img/pictos/ beside the words it illustrates (decorative)."""
    return {"path": f"img/pictos/{name}.svg"}
