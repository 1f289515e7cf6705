"""The directories that the booklet tests print."""

from structures.models import Territory

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory

LONG_TEXT = (
    "Un entretien permet de faire le point sur la situation de la personne et de proposer "
    "un accompagnement adapté, en lien avec les partenaires du répertoire. "
) * 4
NAMES = ["Alouettes", "Bleuets", "Capucines", "Dahlias", "Églantines", "Fougères", "Glycines"]


def booklet_directory_build() -> dict:
    """Three themes, seven local structures with long fiches, one annex, one inactive fiche.

    Structure n (from 0) has its fiche i (from 0) in theme (n + i) % 3: logement, santé,
    emploi.
    """
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône"
    logement = ThemeFactory(name="Logement", slug="logement", order=1)
    sante = ThemeFactory(name="Santé", slug="sante", order=2)
    emploi = ThemeFactory(name="Emploi et insertion", slug="emploi", order=3)
    structures = []
    for number, name in enumerate(NAMES):
        structure = StructureFactory(
            name=f"Maison des {name}", acronym=f"MD{name[0]}", role=LONG_TEXT
        )
        structures.append(structure)
        for index in range(3):
            theme = [logement, sante, emploi][(number + index) % 3]
            ServiceFactory(
                structure=structure,
                title=f"Fiche {index + 1} des {name}",
                themes=[theme],
                objectives=LONG_TEXT,
                procedure=LONG_TEXT,
            )
        ContactFactory(structure=structure, name=f"Référente des {name}")
    territory.coordinating_structure = structures[0]
    territory.save()
    annex = StructureFactory(name="Restos du cœur de Lyon", acronym="RDC", annex=True)
    ServiceFactory(structure=annex, title="Distribution alimentaire", themes=[sante])
    ServiceFactory(
        structure=structures[1],
        title="Ancienne permanence fermée",
        themes=[logement],
        inactive=True,
    )
    return {"themes": [logement, sante, emploi], "structures": structures, "annex": annex}


def tiny_directory_build() -> dict:
    """Two themes, three structures with a fiche and a contact each: quick to print."""
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône"
    territory.save()
    logement = ThemeFactory(name="Logement", slug="logement", order=1)
    sante = ThemeFactory(name="Santé", slug="sante", order=2)
    structures = []
    for number, name in enumerate(NAMES[:3]):
        structure = StructureFactory(name=f"Maison des {name}", slug=f"maison-{number}")
        ServiceFactory(
            structure=structure, title=f"Fiche des {name}", themes=[[logement, sante][number % 2]]
        )
        ContactFactory(structure=structure, name=f"Référente des {name}")
        structures.append(structure)
    return {"themes": [logement, sante], "structures": structures}
