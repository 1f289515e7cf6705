"""Count the documents generated, anonymously (see DocumentUse)."""

from collections.abc import Iterable

from structures.models import Service, Structure, Theme

from .models import DocumentKind, DocumentUse


def document_use_record(
    *,
    kind: DocumentKind,
    sender_structure: Structure | None,
    recipient_structure: Structure | None = None,
    recipient_service: Service | None = None,
    themes: Iterable[Theme] = (),
    language: str = "",
) -> DocumentUse:
    """Keep one anonymous line for a generated document: never anything about the person."""
    use = DocumentUse.objects.create(
        kind=kind,
        sender_structure=sender_structure,
        recipient_structure=recipient_structure,
        recipient_service=recipient_service,
        language=language,
    )
    use.themes.set(themes)
    return use
