from django import template

from ..text import french_date, phone_e164, phones_unbroken

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
def long_date(day, style: str = "") -> str:
    """A date in French words with the ordinal "1er": {{ day|long_date }}, or with the
    day of the week: {{ day|long_date:"weekday" }}."""
    return french_date(day, weekday=style == "weekday") if day else ""
