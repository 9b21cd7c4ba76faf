"""The API's limits on attachments, and the token estimates they imply.

Figures from Anthropic's vision and PDF documentation (checked 2026): an image may be at most
5 MB once base64-encoded (the API measures the encoded string) and 8000 px on either side
(2000 px when a request carries more than 20 images); at most 100 images go in one request;
a PDF may be at most 32 MB and 100 pages; a whole request at most 32 MB. Images past about
1568 px on the long side (or 1.15 megapixels) are scaled down by the server before the model
sees them, so their cost stops growing there: about ``width * height / 750`` tokens.

No imports beyond the standard library: the wire layer reads these too.
"""

from __future__ import annotations

import math

MB = 1024 * 1024

IMAGE_MAX_BASE64_BYTES = 5 * MB
IMAGE_MAX_SIDE_PX = 8000
MANY_IMAGES = 20
"""Past this many images in one request, each must fit :data:`MANY_IMAGES_MAX_SIDE_PX`."""
MANY_IMAGES_MAX_SIDE_PX = 2000
MAX_IMAGES_PER_REQUEST = 100
PDF_MAX_BYTES = 32 * MB
PDF_MAX_PAGES = 100
REQUEST_MAX_BYTES = 32 * MB
"""A whole request body; attachments travel base64-encoded, 4/3 of their size."""

IMAGE_RESIZE_LONG_SIDE_PX = 1568
IMAGE_RESIZE_MAX_PIXELS = 1_150_000
PIXELS_PER_TOKEN = 750
IMAGE_MAX_TOKENS = 1600
PDF_TOKENS_PER_PAGE = 3000
"""A page costs its text (1,500-3,000 tokens, the PDF guide says) plus its picture."""


def base64_length(size: int) -> int:
    """Characters in the base64 encoding of ``size`` bytes."""
    return 4 * math.ceil(size / 3)


def estimate_image_tokens(width: int, height: int) -> int:
    """Tokens an image costs after the server's downscaling (``w * h / 750``, capped)."""
    if width <= 0 or height <= 0:
        return IMAGE_MAX_TOKENS
    scale = min(
        1.0,
        IMAGE_RESIZE_LONG_SIDE_PX / max(width, height),
        math.sqrt(IMAGE_RESIZE_MAX_PIXELS / (width * height)),
    )
    tokens = math.ceil((width * scale) * (height * scale) / PIXELS_PER_TOKEN)
    return max(1, min(tokens, IMAGE_MAX_TOKENS))


def estimate_pdf_tokens(pages: int | None) -> int:
    """Tokens a PDF of ``pages`` pages costs (one page when the count is unknown)."""
    return PDF_TOKENS_PER_PAGE * max(pages or 1, 1)


def megabytes(size: int) -> str:
    """``size`` bytes as the limits are written: ``5.2 MB``."""
    return f"{size / MB:.1f} MB"
