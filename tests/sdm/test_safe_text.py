"""Evidence text is text: what sdm.safe_text refuses, and how it escapes what it shows."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdm.evidence import safe_text
from sdm.evidence.safe_text import JOINER, markdown, plain, problem

REFUSED = {
    "an image": ["![](http://x/)", "see ![a chart](https://evil.example/c.png) here", "![x](https://doi.org/10.1/x)",
              "![x][ref]"],
    "raw HTML": ['<img src="http://x/a.png">', "<IMG SRC=x>", "</p>", "<!-- a comment -->", "a <b>bold</b> word",
                 "<https://doi.org/10.1/x>", "<svg onload=x>", "[a](<http://x>)"],
    "a link to another site": ["[a](http://x)", "[a](//evil.example/x)", "[a]( https://evil.example )",
                               "[a](javascript:alert(1))", "[a](data:image/png;base64,AA)",
                               "[a](mailto:a@b.c)", "[1]: http://evil.example/x", "[a](https://doi.org.evil.example/)",
                               "[a](https://doi.org@evil.example/)", "[a](/relative/path)"],
    "a web address of another site": ["see http://x.example", "see https://evil.example/a.png", "www.evil.example",
                                      "ftp://files.example/x", "HTTPS://EVIL.EXAMPLE", "https://doi.org.evil.example/x"],
}
ALLOWED = [
    "Plain words, with punctuation: commas; colons! and (brackets).",
    "eGFR < 60 and a > b",
    "*one* **two** _three_ snake_case_name 2 * 3 * 4",
    "[the trial](https://doi.org/10.1056/NEJMoa1615066)",
    "[the record](https://pubmed.ncbi.nlm.nih.gov/12345678/)",
    "see https://doi.org/10.1016/j.chest.2021.07.055.",
    "10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I",
    "Wow! [a note] (and a bracket)",
    "a@b.example",
    "{nb} :red[x] :material/home: $x$ ~~s~~ | a | b |",
]


@pytest.mark.parametrize(("what", "text"), [(w, t) for w, ts in REFUSED.items() for t in ts])
def test_refused_markup_is_named_in_one_line_that_does_not_repeat_it(what, text):
    reason = problem(text)
    assert reason is not None and reason.startswith(f"holds {what}"), (text, reason)
    assert "\n" not in reason and "http" not in reason.replace("https://doi.org", "")
    assert not re.search(r"[<>\[\]!]", reason)  # safe to show on the app's error page
    with pytest.raises(ValueError, match=f"holds {what}"):
        safe_text.check(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_plain_words_emphasis_and_doi_or_pubmed_links_pass(text):
    assert problem(text) is None
    assert safe_text.check(text) == text


def test_markdown_keeps_only_the_allowed_markup():
    assert markdown("a *b* **c** _d_") == "a *b* **c** *d*"
    assert markdown("[the trial](https://doi.org/10.1/x)") == "[the trial](https://doi.org/10.1/x)"
    assert markdown("see https://doi.org/10.1/x.") == f"see [https{JOINER}\\://doi.org/10.1/x](https://doi.org/10.1/x)."
    assert markdown("![x](http://e/x.png)") == f"\\!\\[x\\](http{JOINER}\\://e/x.png)"
    assert markdown('<img src="x">') == '\\<img src="x"\\>'
    assert markdown("www.evil.example a@b.example") == f"www{JOINER}.evil.example a{JOINER}\\@b.example"
    assert markdown("# not a heading") == "\\# not a heading"
    assert markdown("1. not a list") == "1\\. not a list"
    assert markdown("- not a list") == "\\- not a list"
    assert markdown("2 * 3 * 4") == "2 \\* 3 \\* 4"
    assert markdown(":red[x] :material/home: $x$") == "\\:red\\[x\\] \\:material/home\\: \\$x\\$"
    assert markdown("two\n\nparagraphs    and   spaces") == "two paragraphs and spaces"


def test_doi_markdown_percent_encodes_the_address():
    doi = "10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I"
    out = safe_text.doi_markdown(doi)
    text, address = re.fullmatch(r"\[(.*)\]\((.*)\)", out).groups()
    assert address.startswith("https://doi.org/10.1002/%28SICI%29") and not re.search(r"[()<>\s]", address[8:])
    assert "\\<" in text and "\\:" in text
    assert address == safe_text.doi_url(doi)


def test_a_guideline_link_has_the_same_encoded_address():
    """The guidelines fold (sdm.present.folds_html) links a DOI by safe_text.doi_url, as the markdown does."""
    from types import SimpleNamespace

    from sdm.present import folds_html
    from sdm.words import i18n

    doi = "10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-#"
    g = SimpleNamespace(doi=doi, statement="s", strength="w", certainty="c", reference="r", secondary_source=False)
    out = folds_html._guideline_items([g], i18n.catalogue("en"))
    assert f'href="{safe_text.doi_url(doi)}"' in out and "%23" in safe_text.doi_url(doi)
    assert "doi:10.1002/(SICI)1097-0258(19980430)17:8&lt;873" in out


def test_plain_takes_the_markup_out():
    assert plain("a *b* **c** [t](https://doi.org/1) _d_") == "a b c t (https://doi.org/1) d"


def test_plotly_escapes_tags():
    assert safe_text.plotly('<a href="http://x">x</a> & <br>') == '&lt;a href="http://x"&gt;x&lt;/a&gt; &amp; &lt;br&gt;'


MARKUP = set("\\`_[]<>!$~|:&@")  # "*" is left unescaped only as the emphasis this module writes
ALLOWED_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\((https://(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov)/[^()\s]*)\)")


def unescaped_markup(md: str) -> list[str]:
    """Markup characters in md that are not backslash-escaped, outside the allowed links."""
    out, i = [], 0
    while i < len(md):
        if md[i] == "\\" and i + 1 < len(md):
            i += 2
            continue
        link = ALLOWED_LINK.match(md, i)
        if link:
            out += unescaped_markup(link.group(1))
            i = link.end()
            continue
        if md[i] in MARKUP:
            out.append(md[i])
        i += 1
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)
       | st.lists(st.sampled_from(["![", "](", "http://x", "www.", "<img", "*", "_", "[", "]", "(", ")", ":", "@",
                                   "https://doi.org/1", "a", " ", "\n", "`", "$", "#", "1.", "-", "|", "~", "\\"]),
                  max_size=30).map("".join))
def test_markdown_escapes_every_markup_character_and_shows_the_same_words(text):
    md = markdown(text)
    assert unescaped_markup(md) == []
    assert "\n" not in md
    shown = re.sub(r"\\(.)", r"\1", ALLOWED_LINK.sub(lambda m: m.group(1), md)).replace(JOINER, "")
    if not re.search(r"[*_]|https://(doi\.org|pubmed)", text):  # no emphasis or allowed link to take out
        assert shown == " ".join(text.split())
