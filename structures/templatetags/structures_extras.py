from django import template

from ..text import french_date, phone_e164, phones_unbroken, text_lines

register = template.Library()


@register.filter
def tel_href(phone: str) -> str:
    """The tel: link of a displayed phone number: "04 72 00 00 00" -> "tel:+33472000000"."""
    return f"tel:{phone_e164(phone)}"


@register.filter
def unbroken_phones(text: str) -> str:
    """For printed pages: phone numbers never split across two lines."""
    return phones_unbroken("" if text is None else str(text))


@register.filter
def listed(text: str) -> list[str]:
    """A list typed one item per line, with or without « - » markers, as its items."""
    return text_lines(text)


@register.filter
def long_date(day, style: str = "") -> str:
    """A date in French words with the ordinal "1er": {{ day|long_date }}, or with the
    day of the week: {{ day|long_date:"weekday" }}."""
    return french_date(day, weekday=style == "weekday") if day else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """This page's query string with some parameters changed ("" or None removes one).

    Changing anything but the page goes back to the first page.
    """
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params else "?"


@register.filter
def elided_pages(paginator, number):
    """Page numbers around the current one, the first and the last: 1 … 4 5 6 … 35."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.filter
def hours_lines(weekly: str) -> list[str]:
    """An OSM opening_hours string in French lines: « Du lundi au vendredi : 9 h – 12 h »."""
    from ..hours.week import Week
    from ..hours.wording import week_lines

    return week_lines(Week.from_osm(weekly or ""))


@register.filter
def is_number(value) -> bool:
    """For tables of figures: numbers are aligned right, texts left."""
    return isinstance(value, int | float) and not isinstance(value, bool)
