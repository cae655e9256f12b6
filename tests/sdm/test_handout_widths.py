"""The handout's quicker text measure (sdm.outputs.handout.fonts) gives exactly fpdf2's own widths."""

from __future__ import annotations

from fpdf.fonts import TTFFont

from sdm.outputs.handout import fonts, page
from sdm.words import i18n

TEXTS = ("Blood thinners alone for this patient: 28 in 100 (6 to 24 months).",
         "Trombólisis dirigida por catéter: ¿qué dicen los estudios? 1.000 personas · “señales” — ñ",
         "**bold** and a soft\u00adhyphen, a\u00a0no-break space, and \u2603 a glyph DejaVu may lack")


def test_each_prefix_measures_as_fpdf2_does():
    pdf = page.new_pdf(i18n.catalogue("en"))
    checked = 0
    for font in pdf.fonts.values():
        assert type(font) is fonts.MeasuredTTFFont
        for text in TEXTS:
            for size in (9.0, 12.0, 14.5):
                for end in range(len(text) + 1):
                    part = text[:end]
                    assert font.get_text_width(part, size, None) == TTFFont.get_text_width(font, part, size, None)
                    checked += 1
    assert checked > 1000
