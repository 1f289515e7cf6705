import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from tinyhtml5.constants import Token
from tinyhtml5.tokenizer import HTMLTokenizer

from .text import number_text


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


# What the HTML tokenizer of a browser (tinyhtml5 follows the WHATWG specification) reads
# as markup rather than text: tags, comments, doctypes, and an unfinished tag at the end.
MARKUP_TOKENS = {Token.START_TAG, Token.END_TAG, Token.EMPTY_TAG, Token.COMMENT, Token.DOCTYPE}


def markup_find(text: str) -> str | None:
    """The first piece of HTML in `text` as a browser would read it, or None for plain text.

    « Enfants de moins de 3 ans (<3 ans) » is text; « <img/src=x onerror=…> » is a tag.
    """
    if "<" not in text:
        return None
    for token in HTMLTokenizer(text):
        kind = token["type"]
        if kind in {Token.START_TAG, Token.EMPTY_TAG}:
            return f"<{token['name']}>"
        if kind == Token.END_TAG:
            return f"</{token['name']}>"
        if kind in MARKUP_TOKENS:
            return "<!…>"
        if kind == Token.PARSE_ERROR and token["data"].startswith("eof-in-"):
            return "<" + text.rpartition("<")[2][:20]
    return None


def validate_plain_text(value: str) -> None:
    if value and (markup := markup_find(value)):
        raise ValidationError(
            "Ce texte contient du code HTML (« %(markup)s ») : le répertoire n'accepte que du "
            "texte simple. Retirez les balises (les signes < et > seuls sont acceptés).",
            code="html",
            params={"markup": markup},
        )


class TextLengthValidator(MaxLengthValidator):
    """A length limit whose message says the limit and how far over the text is:
    « 1 000 000 caractères : la limite est de 2 000 (998 000 de trop). »"""

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                "%(length)s caractères : la limite est de %(limit)s (%(over)s de trop).",
                code="max_length",
                params={
                    "length": number_text(length),
                    "limit": number_text(self.limit_value),
                    "over": number_text(length - self.limit_value),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )


def length_validators_replace(validators: list) -> list:
    """The same validators, Django's MaxLengthValidator replaced by TextLengthValidator."""
    return [
        TextLengthValidator(item.limit_value) if type(item) is MaxLengthValidator else item
        for item in validators
    ]
