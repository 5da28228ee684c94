"""A small HTML reader for the report tests (stdlib ``html.parser``): text by element id, tags, attributes."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class HtmlDoc(HTMLParser):
    """Parses a whole document; ``text(id)`` is the text inside the element with that id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, id)
        self._by_id: dict[str, list[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self._open.append((tag, a.get("id")))
        if a.get("id"):
            self._by_id.setdefault(a["id"], [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        for _, ident in self._open:
            if ident:
                self._by_id[ident].append(data)

    def text(self, ident: str) -> str:
        """Whitespace-normalised text of the element with this id."""
        return " ".join(" ".join(self._by_id[ident]).split())

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]
