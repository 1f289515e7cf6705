"""Nothing about the person helped is stored: not in the database, not in the session."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from liaison.models import DocumentUse
from liaison.parcours.selection import SESSION_KEY
from structures.accounts.middleware import REFRESHED_AT

from .form_data import PARCOURS_URL, add, filled_liaison, liaison_url, parcours_form

NAME, FIRST_NAME, PHONE = "Zerbinati", "Amina", "06 99 88 77 66"
# What Django and the session refresh keep in every session: about the account, not the person.
AUTH_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash", REFRESHED_AT}


def every_stored_text():
    """Every value of every column of every table, as text; sessions decoded."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    texts.extend(str(session.get_decoded()) for session in Session.objects.all())
    return texts


def test_the_scan_would_find_a_name_if_one_were_stored(recipient):
    recipient.structure.city = f"Chez {NAME}"
    recipient.structure.save()
    assert any(NAME in text for text in every_stored_text())


def test_generating_both_documents_stores_nothing_about_the_person(
    recipient,
    partner_client,
):
    assert (
        partner_client.post(liaison_url(recipient), filled_liaison())["Content-Type"]
        == "application/pdf"
    )
    add(partner_client, recipient)
    parcours = parcours_form(first_name=FIRST_NAME, notes=f"{NAME} — {PHONE}")
    assert partner_client.post(PARCOURS_URL, parcours)["Content-Type"] == "application/pdf"
    assert DocumentUse.objects.count() == 2

    digits = PHONE.replace(" ", "")
    for text in every_stored_text():
        for secret in (NAME, FIRST_NAME, PHONE, digits, "Payer le loyer", "caution"):
            assert secret not in text, secret

    session = partner_client.session
    assert set(session.keys()) - AUTH_KEYS == {SESSION_KEY}
    assert session[SESSION_KEY] == [recipient.pk]


def test_the_forms_are_marked_sensitive_for_error_reports(recipient, partner_client):
    response = partner_client.post(liaison_url(recipient), filled_liaison())
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    response = partner_client.post(PARCOURS_URL, parcours_form())
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    assert "no-store" in partner_client.get(reverse("liaison:parcours_blank"))["Cache-Control"]
