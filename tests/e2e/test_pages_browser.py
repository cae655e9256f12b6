"""Teaching page screenshots and the handout download, in a real browser."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import SHOTS, shot, wait_for_app


def test_handout_downloads_as_a_pdf_of_at_most_three_pages(page, app_url):
    """Two pages for the patient (12 pt body text) and a reference page."""
    page.goto(app_url + "/?loc=iliofemoral&days=7&bleed=low")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the handout (PDF)").click()
    path = info.value.path()
    data = open(path, "rb").read()
    assert data[:4] == b"%PDF"
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 3
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Groin and pelvis" in text


def test_teaching_page_screenshots(page, app_url):
    page.goto(app_url + "/teaching")
    wait_for_app(page)
    expect(page.get_by_text("Case library")).to_be_visible()
    box = page.get_by_test_id("stSelectbox").filter(has_text="Clot location (right)")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name="Calf only (below the knee)").click()
    expect(page.get_by_text("What changed")).to_be_visible()
    wait_for_app(page)
    page.wait_for_timeout(800)
    for width in (1280, 768):
        assert shot(page, "teaching", width).stat().st_size > 10_000
        if width == 1280:
            tables_shot(page)


def tables_shot(page):
    """The side-by-side tables alone, from their heading to the sensitivity heading (the viewport already
    holds the whole page, so these boxes are page coordinates)."""
    top = page.get_by_role("heading", name="Two patients side by side").bounding_box()
    end = page.get_by_role("heading", name="Sensitivity: where the evidence applies").bounding_box()
    boxes = [t.bounding_box() for t in page.get_by_test_id("stDataFrame").all()]
    mine = [b for b in boxes if b and top["y"] < b["y"] < end["y"]]
    assert len(mine) == 2 and all(b["width"] > 300 for b in mine)  # left and right, side by side
    assert mine[0]["x"] < mine[1]["x"]
    path = SHOTS / "teaching-tables-1280.png"
    page.screenshot(path=str(path), clip={"x": 0, "y": top["y"] - 10, "width": page.viewport_size["width"],
                                          "height": end["y"] - top["y"]})
    assert path.stat().st_size > 10_000


def test_the_handout_downloaded_after_a_change_of_view_and_of_location_is_the_new_one(page, app_url):
    """The handout button is not redrawn by a change of view or of input (app_pages/consult.py): it makes the
    handout at the click from what the results show then. (A change of view that reran the whole page and ended
    it early once left the button without its file: the click then gave nothing.)"""
    page.goto(app_url + "/?loc=iliofemoral&days=7&bleed=low")
    wait_for_app(page)
    switch = page.get_by_test_id("stButtonGroup").filter(has=page.get_by_role("radio", name="Summary", exact=True))
    for view in ("Detailed pictures", "Summary"):
        switch.get_by_role("radio", name=view, exact=True).click()
        expect(switch.get_by_role("radio", name=view, exact=True)).to_have_attribute("aria-checked", "true")
        wait_for_app(page)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Where is the clot?")
    box.click()
    page.get_by_role("option", name="Calf only (below the knee)").click()
    expect(page.locator(".sumx [data-status='no_evidence']").first).to_be_attached()
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the handout (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(info.value.path(), "rb").read())).pages)
    assert "Calf only" in text and "Groin and pelvis" not in text
