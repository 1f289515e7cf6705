from django import template

from ..text import phone_e164, phones_unbroken

register = template.Library()


@register.filter
def tel_href(phone: str) -> str:
    """The tel: link of a displayed phone number: "04 72 00 00 00" -> "tel:+33472000000"."""
    return f"tel:{phone_e164(phone)}"


@register.filter
def unbroken_phones(text: str) -> str:
    """For printed pages: phone numbers never split across two lines."""
    return phones_unbroken("" if text is None else str(text))
