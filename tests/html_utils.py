"""Read HTML pages back in tests."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit


def checkbox_labels(html: str, name: str) -> list[str]:
    """The labels of the checkboxes of field `name`, in the order of the page."""
    pattern = rf'<label for="id_{re.escape(name)}_\d+"[^>]*>(.*?)</label>'
    return [" ".join(label.split()) for label in re.findall(pattern, html, re.DOTALL)]


class _FormReader(HTMLParser):
    """What a browser would submit from the page's forms (see form_values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.values = [], None
        self.textarea = self.select = None
        self.option_value = None
        self.option_text = ""
        self.select_first = {}

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.values = []
            self.forms.append(self.values)
        elif self.values is None or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs["name"]
            self.select_first[self.select] = None
        if tag == "option" and self.select is not None:
            self.option_value = attrs.get("value")
            self.option_text = ""
            if self.select_first[self.select] is None:
                self.select_first[self.select] = attrs.get("value", "")
            if "selected" in attrs:
                self.values.append((self.select, attrs.get("value", "")))
                self.select_first[self.select] = False

    def _input(self, attrs):
        kind = attrs.get("type", "text")
        if kind in {"submit", "button", "image", "reset", "file"}:
            return
        if kind in {"checkbox", "radio"} and "checked" not in attrs:
            return
        self.values.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # The HTML parser keeps the newline that follows <textarea>; browsers drop it.
            self.values.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            first = self.select_first.pop(self.select)
            if first not in (None, False):  # nothing selected: the browser sends the first
                self.values.append((self.select, first))
            self.select = None
        elif tag == "form":
            self.values = None


def form_values(html: str, *, index: int = -1) -> dict[str, str | list[str]]:
    """The values a browser would post from a form of the page (the last one by default:
    the search form of the header comes first), as the test client takes them: a list for
    a name given several times (checkboxes)."""
    reader = _FormReader()
    reader.feed(html)
    posted = {}
    for name, value in reader.forms[index]:
        if name in posted:
            previous = posted[name]
            posted[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            posted[name] = value
    return posted


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
