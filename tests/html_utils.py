"""Read HTML pages back in tests."""

import re


def checkbox_labels(html: str, name: str) -> list[str]:
    """The labels of the checkboxes of field `name`, in the order of the page."""
    pattern = rf'<label for="id_{re.escape(name)}_\d+"[^>]*>(.*?)</label>'
    return [" ".join(label.split()) for label in re.findall(pattern, html, re.DOTALL)]
