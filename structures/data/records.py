"""What an import reads and reports: records of a source, problems, the report."""

from collections import Counter
from dataclasses import dataclass, field

from ..models import Contact, Service, Structure, Theme

TABLE_LABELS = {
    "thematiques": "thématiques",
    "structures": "structures",
    "services": "fiches services",
    "contacts": "personnes à contacter",
}
MODELS = {"thematiques": Theme, "structures": Structure, "services": Service, "contacts": Contact}


@dataclass
class Problem:
    where: str
    column: str
    message: str

    def __str__(self):
        column = f", colonne « {self.column} »" if self.column else ""
        return f"{self.where}{column} : {self.message}"


@dataclass
class Record:
    """One line of a source: the model fields it gives and the records it refers to."""

    table: str
    where: str
    values: dict
    refs: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # model field -> column name, for messages

    def column(self, name):
        return self.columns.get(name, name)


@dataclass
class ImportReport:
    applied: bool = False
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {table: Counter() for table in TABLE_LABELS})

    @property
    def ok(self):
        return not self.problems

    def problem_add(self, where, message, column=""):
        self.problems.append(Problem(where, column, message))

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
