"""How many pages a PDF has, without a PDF library.

Every page object says ``/Type /Page``; the page tree's root says ``/Count N``. Files that
hide their objects in compressed streams show neither: the count is then unknown (None),
and the API's own page check decides.
"""

from __future__ import annotations

import re

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PAGE_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages"
)


def pdf_page_count(data: bytes) -> int | None:
    """The number of pages, or None when the file does not say it plainly."""
    counts = [int(a or b) for a, b in _PAGE_COUNT.findall(data)]
    if counts:
        return max(counts)  # the root of the page tree holds the largest count
    pages = len(_PAGE_OBJECT.findall(data))
    return pages or None
