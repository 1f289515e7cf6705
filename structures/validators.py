import re

from django.core.exceptions import ValidationError


def validate_french_phone(value: str) -> None:
    if value and not re.fullmatch(r"0[1-9]( \d\d){4}|1\d{1,2}|3\d{3}", value):
        raise ValidationError(
            "« %(value)s » n'est pas un numéro de téléphone français : "
            "indiquez 10 chiffres, par exemple 04 72 00 00 00, ou un numéro court (115, 3949).",
            code="invalid_phone",
            params={"value": value},
        )


def validate_postcode(value: str) -> None:
    if value and not re.fullmatch(r"\d{5}", value):
        raise ValidationError(
            "« %(value)s » n'est pas un code postal : il faut 5 chiffres, par exemple 69300.",
            code="invalid_postcode",
            params={"value": value},
        )
