"""The favicon (issue 14): an SVG with ICO and PNG fallbacks, served from eage/static (no
CDN), linked from every page."""

from __future__ import annotations

import re
from io import BytesIO

from PIL import Image


def test_every_page_links_the_icons_and_they_are_served(client) -> None:
    page = client.get("/connexion").get_data(as_text=True)
    links = dict(
        (m.group(2), m.group(1))
        for m in re.finditer(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"', page)
    )
    assert set(links) == {
        "/static/favicon.ico",
        "/static/favicon.svg",
        "/static/apple-touch-icon.png",
    }
    served = {}
    for path in links:
        response = client.get(path)
        served[path] = (response.status_code, response.mimetype, response.data)
        response.close()  # static files are streamed from an open file
    status, mimetype, data = served["/static/favicon.svg"]
    assert status == 200 and mimetype == "image/svg+xml" and b"<svg" in data
    status, _, data = served["/static/favicon.ico"]
    with Image.open(BytesIO(data)) as ico:
        assert status == 200 and ico.format == "ICO"
    status, _, data = served["/static/apple-touch-icon.png"]
    with Image.open(BytesIO(data)) as png:
        assert status == 200 and png.size == (180, 180)
