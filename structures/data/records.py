"""What an import reads and reports: records of a source, problems, the report."""

import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import Contact, Service, Structure, TemporaryChange, Theme
from ..text import normalize_for_search

TABLE_LABELS = {
    "thematiques": "thématiques",
    "structures": "structures",
    "services": "fiches services",
    "contacts": "personnes à contacter",
    "changements": "changements temporaires",
}
MODELS = {
    "thematiques": Theme,
    "structures": Structure,
    "services": Service,
    "contacts": Contact,
    "changements": TemporaryChange,
}


@dataclass
class Problem:
    where: str
    column: str
    message: str

    def __str__(self):
        column = f", colonne « {self.column} »" if self.column else ""
        return f"{self.where}{column} : {self.message}"

    def sort_key(self):
        """Tables in import order, then by file and line (ligne 9 before ligne 10)."""
        where = normalize_for_search(self.where)
        found = [(where.find(table), order) for order, table in enumerate(TABLE_LABELS)]
        table = min(((at, order) for at, order in found if at >= 0), default=(0, -1))[1]
        parts = re.split(r"(\d+)", self.where)
        return [table, *(int(part) if part.isdecimal() else part for part in parts)]


@dataclass
class Record:
    """One line of a source: the model fields it gives and the records it refers to."""

    table: str
    where: str
    values: dict
    refs: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # model field -> column name, for messages
    invalid: set = field(default_factory=set)  # fields whose cell could not be read

    def column(self, name):
        return self.columns.get(name, name)


@dataclass
class ImportReport:
    applied: bool = False
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {table: Counter() for table in TABLE_LABELS})
    unreadable: bool = False  # a whole file was refused: its lines are not checked

    @property
    def ok(self):
        return not self.problems

    def problem_add(self, where, message, column=""):
        """A problem of one line (or cell): the other lines are still checked."""
        self.problems.append(Problem(where, column, message))

    def file_refuse(self, where, message):
        """A file that cannot be read at all: the import stops before checking the lines,
        since lines of other files that refer to it would only report its absence."""
        self.unreadable = True
        self.problem_add(where, message)

    def as_dict(self) -> dict:
        """The report as JSON can keep it (a background import leaves it in storage)."""
        problems = [[problem.where, problem.column, problem.message] for problem in self.problems]
        counts = {table: dict(count) for table, count in self.counts.items()}
        return {"applied": self.applied, "notes": self.notes, "problems": problems} | {
            "counts": counts
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        report = cls(applied=data["applied"], notes=data["notes"])
        report.problems = [Problem(*problem) for problem in data["problems"]]
        for table, count in data["counts"].items():
            report.counts[table].update(count)
        return report

    def problems_sort(self):
        self.problems.sort(key=Problem.sort_key)

    def summary_lines(self) -> list[str]:
        if self.problems:
            lines = [
                f"Import refusé : {len(self.problems)} problème(s). Rien n'a été enregistré ; "
                "corrigez le fichier puis recommencez."
            ]
        elif self.applied:
            lines = ["Import appliqué : le répertoire est à jour."]
        else:
            lines = ["Simulation : rien n'a été enregistré. Voici ce que l'import ferait."]
        verbs = (
            ("créées", "mises à jour", "inchangées")
            if self.applied
            else ("à créer", "à mettre à jour", "inchangées")
        )
        for table, label in TABLE_LABELS.items():
            count = self.counts[table]
            if sum(count.values()):
                lines.append(
                    f"{label.capitalize()} : {count['created']} {verbs[0]}, "
                    f"{count['updated']} {verbs[1]}, {count['unchanged']} {verbs[2]}."
                )
        return lines
