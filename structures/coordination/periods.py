"""The period of the statistics: a month, a quarter, a year or chosen dates, and the one before."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import formats, timezone

MONTH_NAMES = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
LONGEST_DAYS = 5 * 366  # a custom period longer than this is refused


MONTH_SHORT = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip


def month_label(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def month_short(day: date) -> str:
    """The month as a chart's axis writes it: « janv. 26 »."""
    return f"{MONTH_SHORT[day.month - 1]} {day:%y}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    kind: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == "mois":
            return month_label(self.start)
        if self.kind == "trimestre":
            return f"{(self.start.month - 1) // 3 + 1}e trimestre {self.start.year}"
        if self.kind == "annee":
            return f"année {self.start.year}"
        start, end = (formats.date_format(day, "j F Y") for day in (self.start, self.end))
        return f"du {start} au {end}"

    def previous(self) -> "Period":
        """The period of the same kind and length just before this one."""
        if self.kind == "personnalisee":
            end = self.start - timedelta(days=1)
            return Period(end - timedelta(days=self.days - 1), end, self.kind)
        months = {"mois": 1, "trimestre": 3, "annee": 12}[self.kind]
        start = self.start - relativedelta(months=months)
        return Period(start, self.start - timedelta(days=1), self.kind)

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        month, months = self.start.replace(day=1), []
        while month <= self.end:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def query(self) -> str:
        """The query string that gives this period back (downloads, the report)."""
        if self.kind == "personnalisee":
            return f"periode={self.kind}&debut={self.start}&fin={self.end}"
        return f"periode={self.kind}&date={self.start}"


def period_containing(day: date, kind: str) -> Period:
    if kind == "annee":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind)
    if kind == "trimestre":
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(start, start + relativedelta(months=3) - timedelta(days=1), kind)
    start = day.replace(day=1)
    return Period(start, start + relativedelta(months=1) - timedelta(days=1), "mois")


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(
        label="Période",
        choices=[
            ("mois", "Un mois"),
            ("trimestre", "Un trimestre"),
            ("annee", "Une année"),
            ("personnalisee", "Des dates choisies"),
        ],
        initial="mois",
    )
    date = forms.DateField(
        label="Contenant le jour",
        required=False,
        help_text="Le mois, le trimestre ou l'année qui contient ce jour (aujourd'hui si vide).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    debut = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fin = forms.DateField(
        label="Au (inclus)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("periode") != "personnalisee":
            return data
        start, end = data.get("debut"), data.get("fin")
        if not start or not end:
            raise forms.ValidationError(
                "Pour des dates choisies, indiquez le premier et le dernier jour."
            )
        if start > end:
            raise forms.ValidationError("Le premier jour doit venir avant le dernier.")
        if (end - start).days + 1 > LONGEST_DAYS:
            raise forms.ValidationError("Choisissez une période de cinq ans au plus.")
        return data

    def period(self) -> Period:
        """The period asked for; the current month when the form is empty or wrong."""
        if not self.is_bound or not self.is_valid():
            return period_containing(timezone.localdate(), "mois")
        data = self.cleaned_data
        if data["periode"] == "personnalisee":
            return Period(data["debut"], data["fin"], "personnalisee")
        return period_containing(data["date"] or timezone.localdate(), data["periode"])
