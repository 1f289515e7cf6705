"""Text helpers shared by models, search and forms."""

import re
import unicodedata


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
