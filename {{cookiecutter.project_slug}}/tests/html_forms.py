"""Reads the form of an HTML page as a browser submits it, for tests of the pages the site renders itself."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The named input fields of a page's form, as a browser submits them (checked boxes only)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag != "input" or "name" not in attributes:
            return
        if attributes.get("type") == "checkbox" and "checked" not in attributes:
            return
        self.fields.setdefault(attributes["name"], []).append(attributes.get("value") or "")
