"""HTML in texts: refused alike by Mon espace, the admin and imports, so exports re-import."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from structures.data.exports import directory_csv_files
from structures.models import Structure

from .directory_data import import_files, problems_of, table_csv
from .form_data import identity_data

pytestmark = pytest.mark.django_db

MARKUP = {
    "<img/src=x onerror=alert(1)>": "<img>",
    "<svg/onload=alert(1)>": "<svg>",
    "Accueil <script>alert(1)</script>": "<script>",
    "Voir </p> plus bas": "</p>",
    "Caché <!-- commentaire -->": "<!…>",
    "Fin <img src=x onerror=alert(1)": "<img src=x onerror=al",
}
PLAIN = [
    "Enfants de moins de 3 ans (<3 ans) & parents",
    "Quotient familial < 800 €, ou > 1 200 € avec justificatif",
    "1 <= 2 et 3 >= 2 ; a < b > c",
    "=SOMME(A1:A3) n'est pas une formule ici",
    "- Bail\n- Pièce d'identité",
]


@pytest.mark.parametrize(("text", "markup"), MARKUP.items(), ids=list(MARKUP.values()))
def test_an_import_refuses_html_that_a_browser_would_read_as_markup(text, markup):
    structures = table_csv("structures", {"identifiant": "ccas", "nom": "CCAS", "horaires": text})

    report = import_files({"structures.csv": structures}, apply=True)

    assert problems_of(report) == [
        f"structures.csv, ligne 2, colonne « horaires » : Ce texte contient du code HTML "
        f"(« {markup} ») : le répertoire n'accepte que du texte simple. Retirez les balises "
        "(les signes < et > seuls sont acceptés)."
    ]
    assert not Structure.objects.exists()


@pytest.mark.parametrize("text", list(MARKUP), ids=list(MARKUP.values()))
def test_mon_espace_refuses_the_same_html(text, structure_a, editor_a, client_for):
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, opening_hours=text),
    )

    assert response.status_code == 200
    assert "Ce texte contient du code HTML" in str(response.context["form"].errors)
    structure_a.refresh_from_db()
    assert structure_a.opening_hours != text


def test_the_admin_refuses_the_same_html(coordinator_client, structure_a):
    url = reverse("admin:structures_structure_change", args=[structure_a.pk])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"name": "<svg/onload=alert(1)>", "kind": structure_a.kind}

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "Ce texte contient du code HTML (« &lt;svg&gt; »)" in response.content.decode()


@pytest.mark.parametrize("text", PLAIN)
def test_text_with_angle_brackets_that_is_not_html_is_accepted_everywhere(
    text, structure_a, editor_a, client_for
):
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, opening_hours=text),
    )
    assert response.status_code == 302
    structures = table_csv("structures", {"identifiant": "creche", "nom": "Crèche", "role": text})
    assert import_files({"structures.csv": structures}).ok


TRICKY = st.lists(
    st.sampled_from([*"ab <>/!?=+-@'\"&;,\t\n", "é", "«", "»", "script", "img", "- Bail"]),
    max_size=12,
).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TRICKY)
def test_whatever_mon_espace_accepts_the_export_of_the_directory_reimports_unchanged(
    text, structure_a, editor_a, client_for
):
    response = client_for(editor_a).post(
        reverse("structures:espace_structure_edit"),
        identity_data(structure_a, opening_hours=text, role=text),
    )
    if response.status_code != 302:
        return  # refused by Mon espace: the import need not accept it
    saved = Structure.objects.get(pk=structure_a.pk)
    for delimiter in [";", ","]:
        report = import_files(directory_csv_files(delimiter=delimiter))
        assert report.ok, problems_of(report)
        assert report.counts["structures"] == {"unchanged": 1}, (text, delimiter)
    assert Structure.objects.get(pk=structure_a.pk).opening_hours == saved.opening_hours
