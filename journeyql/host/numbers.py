"""Numbers in the reader's locale: the one formatter every output uses.

``analyze``'s reports, the site, the curves, the blueprint and the plan all print a measured
-1.49 through :func:`decimal`, so a Dutch page says "-1,49" (or "-1,5" with one decimal)
everywhere, never "-1,49" in one file and "-1.5" in the next.

The symbols are CLDR's (the data Babel ships) for the languages below; a locale not listed
gets English's. Babel itself is not a dependency: the light core needs two symbols per language,
and Babel's 700 locales would double the core's install size (docs/architecture.md).
"""

from __future__ import annotations

#: language -> (decimal symbol, grouping symbol), from CLDR's "latn" number symbols
SYMBOLS: dict[str, tuple[str, str]] = {
    "en": (".", ","),
    "nl": (",", "."),
    "de": (",", "."),
    "es": (",", "."),
    "it": (",", "."),
    "da": (",", "."),
    "fr": (",", "\u202f"),
    "sv": (",", "\u00a0"),
}


def language(locale: str | None) -> str:
    """``nl-BE`` / ``nl_BE`` -> ``nl``; English when none is given."""
    return (locale or "en").replace("_", "-").split("-")[0].lower()


def symbols(locale: str | None) -> tuple[str, str]:
    """(decimal symbol, grouping symbol) of ``locale``."""
    return SYMBOLS.get(language(locale), SYMBOLS["en"])


def decimal(value: float, locale: str | None = None, digits: int = 2, *, sign: bool = False,
            group: bool = False) -> str:
    """``value`` with ``digits`` decimals in ``locale``: "-1.49" (en), "-1,49" (nl).

    ``sign`` writes "+" before a positive number; ``group`` separates thousands (1,234.5 / 1.234,5).
    A value that rounds to zero is "0.00", never "-0.00" or "+0.00".
    """
    point, thousands = symbols(locale)
    spec = f"{'+' if sign else ''}{',' if group else ''}.{digits}f"
    text = format(value, spec)
    if text.lstrip("+-").replace(",", "").strip("0.") == "":
        text = format(0.0, f".{digits}f")
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def list_separator(locale: str | None) -> str:
    """Between the ends of an interval: "[1.2, 3.4]" but "[1,2; 3,4]" where the comma is the decimal symbol."""
    return "; " if symbols(locale)[0] == "," else ", "
