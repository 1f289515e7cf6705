import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone: str) -> str:
    """The tel: link of a displayed phone number: "04 72 00 00 00" -> "tel:+33472000000"."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 10 and digits.startswith("0"):
        return f"tel:+33{digits[1:]}"
    return f"tel:{digits}"
