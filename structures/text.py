"""Text helpers shared by models, search, forms, imports and templates."""

import re
import unicodedata
from collections.abc import Container
from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.text import slugify


def normalize_for_search(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: "Crèche  CAF" -> "creche caf"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_accents = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and not unicodedata.category(char).startswith("C")
    )
    return " ".join(without_accents.casefold().split())


PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")


def normalize_phone(value: str) -> str:
    """Write a French number the way it is read: "+33472000000" -> "04 72 00 00 00".

    Short numbers (115, 3949) are kept as they are; anything unrecognised is returned
    unchanged so that the validator can explain what is wrong.
    """
    digits = PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"1\d{1,2}|3\d{3}", digits):
        return digits
    return (value or "").strip()


# A French number as people write it: 04 72 00 00 00, 04.72.00.00.00, +33 4 72 00 00 00.
WRITTEN_PHONE = re.compile(r"(?:\+33[ .]?|\b0)[1-9](?:[ .]?\d\d){4}\b")


def phones_unbroken(text: str) -> str:
    """The text with the spaces inside phone numbers made non-breaking, so that a printed
    line never ends in the middle of a number ("04 65 71 14 / 55")."""
    return WRITTEN_PHONE.sub(lambda match: match.group(0).replace(" ", "\u00a0"), text or "")


def phone_e164(phone: str) -> str:
    """The international form of a displayed number: "04 72 00 00 00" -> "+33472000000".

    Short numbers (115, 3949) keep their digits. Used for tel: links and open data.
    """
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 10 and digits.startswith("0"):
        return f"+33{digits[1:]}"
    return digits


def slug_unique(text: str, *, taken: Container[str], fallback: str = "fiche") -> str:
    """A slug made from `text` that is not in `taken`: aide, aide-2, aide-3…"""
    base = slugify(text)[:90] or fallback
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a text, without list markers: "- Pièce d'identité" -> "Pièce…"."""
    lines = (line.strip().lstrip("-•*").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


ID_MAX = 2**63 - 1  # the largest primary key a database holds (BigAutoField)


def positive_int(value) -> int | None:
    """A record number read from a request: "12" -> 12; None for anything else.

    `str.isdigit` accepts "²" and "③", that `int` refuses, and `int` accepts "٣" (an Arabic
    digit), " 12 " or "1_2", that no URL of ours writes: only ASCII digits pass, up to ID_MAX.
    """
    if not isinstance(value, str) or not (0 < len(value) <= 19):
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= ID_MAX else None


def number_text(number: int) -> str:
    """12000 -> "12 000", with the narrow no-break space of French typography."""
    return f"{number:_}".replace("_", "\u202f")


def french_date(day, *, weekday: bool = False) -> str:
    """A date as French writes it: "1er décembre 2026", "mardi 1er décembre 2026"."""
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    with translation.override("fr"):
        text = formats.date_format(day, "j F Y")
        if day.day == 1:
            text = "1er" + text[1:]
        if weekday:
            text = f"{formats.date_format(day, 'l')} {text}"
    return text
