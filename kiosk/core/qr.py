"""QR code matrices, painted by the GUI and the printer (no Pillow, no SVG)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import qrcode
import qrcode.constants

from kiosk.core.model import PLACE_KINDS

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
#: The session tags a course link gets when the content enables them (``[qr] tags = true``).
TAG_SOURCE = ("bron", "kiosk")
TAG_PLACE = "plek"


@lru_cache(maxsize=128)
def qr_matrix(data: str, border: int = QUIET_ZONE) -> tuple[tuple[bool, ...], ...]:
    """The QR code for ``data`` as rows of dark (True) / light modules.

    Error correction level Q (25% of the code may be covered or smudged), the
    smallest version that fits, and a quiet zone of ``border`` modules.
    Encoding takes 5-10 ms (qrcode tries all eight masks in Python); the kiosk
    shows few addresses, so each is encoded once (the rows are immutable).
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=border)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


@lru_cache(maxsize=512)
def qr_size(data: str) -> int:
    """Modules per side of :func:`qr_matrix` ``(data, border=0)``, without encoding it.

    The smallest version that holds ``data`` at level Q; choosing it is cheap,
    the mask search of :func:`qr_matrix` is what costs 5-10 ms. Raises qrcode's
    ``DataOverflowError`` when no version holds it.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
    code.add_data(data)
    return code.best_fit() * 4 + 17


def course_link(url: str, place_kind: str, enabled: bool) -> str:
    """The address a QR code leads to: ``url``, with the session tags when ``enabled``.

    The tags are ``bron=kiosk`` and ``plek=<place kind>`` (one of
    :data:`~kiosk.core.model.PLACE_KINDS`; anything else, such as a typed location
    name, becomes ``anders``): the library can count visits from the stand in its
    own web statistics, and nothing in the link says who scanned it. The
    address's own query (byte for byte) and fragment are kept; existing
    ``bron``/``plek`` values are replaced, so a link is never tagged twice.

    >>> course_link("https://www.digisterker.nl", "markt", True)
    'https://www.digisterker.nl/?bron=kiosk&plek=markt'
    """
    if not enabled:
        return url
    kind = place_kind if place_kind in PLACE_KINDS else "anders"
    parts = urlsplit(url)
    tags = {TAG_SOURCE[0]: TAG_SOURCE[1], TAG_PLACE: kind}
    kept = [pair for pair in parts.query.split("&")
            if pair and unquote_plus(pair.split("=", 1)[0]) not in tags]
    query = "&".join([*kept, urlencode(tags)])
    return urlunsplit(parts._replace(path=parts.path or "/", query=query))


def display_address(url: str) -> str:
    """A course address as a person types it: no ``https://``, no trailing ``/``."""
    parts = urlsplit(url)
    text = parts.netloc + (parts.path if parts.path != "/" else "")
    if parts.query:
        text += "?" + parts.query
    return text
