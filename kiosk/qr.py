"""QR codes as a grid of dark modules, for the screen and the receipt (no images)."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of a QR code for ``data``, with the standard quiet zone of four modules."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()
