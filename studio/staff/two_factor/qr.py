"""The enrolment QR code, drawn on the server as inline SVG (segno: small, pure Python, well
kept), so the secret never goes to another service and the page needs no script."""

import segno


def qr_svg(text):
    return segno.make(text, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", border=4, omitsize=False, title="QR code for your app"
    )
