"""The text a person sees on an HTML page, for tests that read pages as a reader does."""

from __future__ import annotations

from html.parser import HTMLParser

#: elements whose content is never shown as text
_HIDDEN = {"script", "style", "template", "head", "title", "svg"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text) of every link, for what a test allows
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "img" and attrs.get("alt") and not self.hidden:
            self.parts.append(attrs["alt"])  # read out by a screen reader, shown when the image fails
        elif tag == "a":
            self._link = [attrs.get("href") or "", ""]

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data):
        if self.hidden:
            return
        self.parts.append(data)
        if self._link is not None:
            self._link[1] += data


def visible_text(html: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(the text pieces of the page, each whitespace-normalised; the (href, text) of its links)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    pieces = [" ".join(p.split()) for p in reader.parts]
    return [p for p in pieces if p], reader.links
