"""Read HTML pages back in tests."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit


def checkbox_labels(html: str, name: str) -> list[str]:
    """The labels of the checkboxes of field `name`, in the order of the page."""
    pattern = rf'<label for="id_{re.escape(name)}_\d+"[^>]*>(.*?)</label>'
    return [" ".join(label.split()) for label in re.findall(pattern, html, re.DOTALL)]


@dataclass
class PageForm:
    method: str  # "get" or "post"
    action: str  # "" for the page itself
    names: set[str] = field(default_factory=set)


class _FormsParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self.link_params: set[str] = set()
        self._open: PageForm | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._open = PageForm(method=method, action=attrs.get("action") or "")
            self.forms.append(self._open)
        elif tag in {"input", "select", "textarea", "button"} and attrs.get("name"):
            form = self._open
            if attrs.get("form"):  # a field outside its form: put it with the page's POSTs
                form = next((f for f in self.forms if f.method == "post"), None)
            if form is not None:
                form.names.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            query = urlsplit(attrs["href"]).query
            self.link_params.update(name for name, _ in parse_qsl(query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def page_forms(html: str) -> tuple[list[PageForm], set[str]]:
    """The forms of a page (method, action, field names) and the query parameters its
    links carry (?page=2, ?lettre=B…)."""
    parser = _FormsParser()
    parser.feed(html)
    return parser.forms, parser.link_params
