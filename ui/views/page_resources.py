"""What the page view may load: only the resources its page was rendered with.

``QTextBrowser`` would otherwise open any ``src`` itself, on the UI thread: a ``file:`` URL, an
absolute path, ``../`` resolved against the working directory, ``/dev/zero`` or a FIFO. The
renderer reads vault images (bounded, off the UI thread) and draws formulas into
``RenderedPage.resources``; ``resource_for`` answers from that dictionary and nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

MAX_IMAGE_SIDE = 4000  # px: a larger picture is scaled down before Qt lays it out


def resource_for(resources: dict[str, bytes], kind: int, url: QUrl, *,
                 dark: bool = False) -> QImage | None:
    """The image for ``url`` from ``resources``, or None (nothing is read from disk).
    Formulas are drawn black on transparent: on a dark page they are shown light."""
    if kind != QTextDocument.ResourceType.ImageResource.value:
        return None
    data = resources.get(url.toString())
    if data is None:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    if max(image.width(), image.height()) > MAX_IMAGE_SIDE:
        image = image.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)
    if dark and url.scheme() == "math":
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        image.invertPixels(QImage.InvertMode.InvertRgb)
    return image
