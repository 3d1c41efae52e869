"""QR code matrices, painted by the GUI and the printer (no Pillow, no SVG)."""

from __future__ import annotations

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def qr_matrix(data: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The QR code for ``data`` as rows of dark (True) / light modules.

    Error correction level Q (25% of the code may be covered or smudged), the
    smallest version that fits, and a quiet zone of ``border`` modules.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=border)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]
