"""Printing (issue 16): the dashboard, heatmap, board pack and public page rendered to PDF with
page.pdf() in Debian's chromium. In print media each chart lies inside its page box and does not
overlap what follows it; tier badges keep their colour; the heatmap's first page is not the title alone."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests import urltable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 at 96 dpi less the print stylesheets' side margins (10 mm each side).
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 718, 1047

GEOMETRY = """() => Array.from(document.querySelectorAll('canvas')).map(canvas => {
    const box = canvas.closest('.chart-box') || canvas.parentElement;
    const next = box.nextElementSibling;
    const rect = canvas.getBoundingClientRect(), outer = box.getBoundingClientRect();
    return {
        left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom,
        boxTop: outer.top, boxBottom: outer.bottom, boxLeft: outer.left, boxRight: outer.right,
        nextTop: next ? next.getBoundingClientRect().top : null,
        page: document.documentElement.clientWidth,
    };
})"""


def pdf_pages(data):
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.fixture
def director_page(browser, live_server):
    world = urltable.log_in_every_role(urltable.build_world())
    context = browser.new_context(locale="fa-IR", base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": world.sessions["director"], "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, world
    context.close()


def printed(page, url, width):
    page.set_viewport_size({"width": 1366, "height": 1000})  # drawn on a desktop, then printed
    page.goto(url)
    page.wait_for_load_state("load")
    page.set_viewport_size({"width": width, "height": 1000})
    # The layout as the print engine first sees it: before any script has had a frame to redraw
    # (the stylesheet alone must keep the chart in its box).
    page.emulate_media(media="print")
    return page.evaluate(GEOMETRY)


def test_charts_fit_their_printed_box_and_nothing_overlaps(director_page):
    page, world = director_page
    pages = {
        "dashboard": (reverse("home"), PORTRAIT_WIDTH),
        "public": (reverse("plans:public", args=[world.plan.pk]), PORTRAIT_WIDTH),
        "scorecard": (
            reverse("evaluations:scorecard", args=[world.round_locked.pk, world.agency_a.pk]),
            PORTRAIT_WIDTH,
        ),
    }
    for name, (url, width) in pages.items():
        charts = printed(page, url, width)
        for chart in charts:
            assert chart["left"] >= -0.5, (name, chart)
            assert chart["right"] <= chart["page"] + 0.5, (name, chart)
            assert chart["boxLeft"] - 0.5 <= chart["left"], (name, chart)
            assert chart["right"] <= chart["boxRight"] + 0.5, (name, chart)
            assert chart["bottom"] <= chart["boxBottom"] + 0.5, (name, chart)
            if chart["nextTop"] is not None:
                assert chart["boxBottom"] <= chart["nextTop"] + 0.5, (name, chart)
        if name == "dashboard":
            assert charts, "the dashboard's trend chart is missing"
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF"), name
        assert pdf_pages(pdf) >= 1, name
        page.emulate_media(media="screen")


def test_board_pack_tier_badges_keep_their_colour_in_print(director_page):
    page, world = director_page
    printed(page, reverse("evaluations:report", args=[world.round_locked.pk]), PORTRAIT_WIDTH)
    badges = page.evaluate(
        """() => Array.from(document.querySelectorAll('.badge')).map(b => {
            const style = getComputedStyle(b);
            return {adjust: style.printColorAdjust || style.webkitPrintColorAdjust, background: style.backgroundColor};
        })"""
    )
    assert badges, "the board pack shows no tier badge"
    for badge in badges:
        assert badge["adjust"] == "exact", badge
        assert badge["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), badge
    assert page.pdf(format="A4", print_background=True).startswith(b"%PDF")


def test_the_heatmaps_first_printed_page_holds_the_heatmap(director_page):
    page, world = director_page
    printed(page, reverse("plans:heatmap", args=[world.plan.pk]), LANDSCAPE_WIDTH)
    # A small plan's heatmap fits one landscape page: the title and the table together.
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 1
