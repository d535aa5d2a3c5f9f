"""/api/docs/ works offline: Swagger UI comes from our own static files, never a CDN."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.browser import DESKTOP, browser, shot  # noqa: F401  (the shared fixture)

ASSETS = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


def test_the_docs_page_loads_its_script_and_styles_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assets = ASSETS.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert not urlparse(asset).netloc, asset  # same origin: no CDN
        assert asset.startswith(("/static/", "/api/docs/")), asset


def test_every_asset_of_the_docs_page_is_served(client):
    html = client.get("/api/docs/").content.decode()
    for asset in ASSETS.findall(html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, asset


def test_the_docs_page_has_no_inline_script(client):
    # Its set-up script is a file too, so a strict Content-Security-Policy can hold.
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_render_in_chromium_with_the_internet_cut_off(browser, live_server):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []
    own = urlparse(live_server.url).netloc

    def only_our_server(route) -> None:
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Branch kiosk and appointment API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/appointments/")
    shot(page, "docs/api-docs-desktop")
    assert outside == []
