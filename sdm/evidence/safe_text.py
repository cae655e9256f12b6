"""Evidence text is text.

Text from data/ is shown as plain words. The only markup an editor may use:
- emphasis: *words*, **words** or _words_;
- links to a DOI or a PubMed record: [words](https://doi.org/...), [words](https://pubmed.ncbi.nlm.nih.gov/...),
  or the bare address.

`problem` names the first thing that is refused (an image, raw HTML, a link or an address of any other host),
so the loader can give a one-line error; `check` raises it for pydantic. The renderers make text safe for each
place it is shown, whether or not it was checked:
- `markdown`: for st.markdown, st.caption, st.info, st.warning, headers and widget labels. Every character that
  markdown (or Streamlit's extensions: colours, icons, maths) could read as markup is backslash-escaped, so the
  text shows exactly as written; only the allowed emphasis and links are kept.
- `plotly`: for Plotly's HTML-like chart labels.
- For st.html, use html.escape.

Pure Python: no Streamlit here.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

LINK_PREFIXES = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")
ALLOWED = "evidence text may use only emphasis and links to doi.org or PubMed"

_HOSTS = r"https://(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov)/"
_URL_CHARS = r"[^\s()<>\[\]\\\"'`]"
_URL_END = r"[^\s()<>\[\]\\\"'`.,;:!?*_]"

_IMAGE = re.compile(r"!\[")
_HTML = re.compile(r"<(?:[/?]?[A-Za-z]|!)")
_LINK = re.compile(r"\]\(\s*<?\s*([^)\s>]*)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?\s*(\S*)", re.M)
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]*://\S*|\bwww\d{0,3}\.\S")
# What markdown, GitHub's extensions (autolinks, strikethrough) or Streamlit's (colours, icons, maths) could read:
_INLINE = re.compile(r"([\\`*_\[\]<>!$~|:&@])")
_WWW = re.compile(r"(?i)\b(www\d{0,3})\.")
_SCHEME = re.compile(r"(?<=[A-Za-z0-9])(\\:)(?=//)")
JOINER = "\u2060"  # WORD JOINER: invisible, zero width
_BLOCK = re.compile(r"^([#>+\-=]|\d{1,9}(?=[.)]))")  # a heading, quote, list or rule at the very start
_EDGE = r"[^*_\s]"
_TOKENS = re.compile(
    rf"\[(?P<ltext>[^\[\]\n]+)\]\((?P<url>{_HOSTS}{_URL_CHARS}*)\)"
    rf"|(?P<bare>{_HOSTS}(?:{_URL_CHARS}*{_URL_END})?)"
    rf"|\*\*(?P<strong>{_EDGE}(?:[^*\n]*{_EDGE})?)\*\*"
    rf"|\*(?P<em>{_EDGE}(?:[^*\n]*{_EDGE})?)\*"
    rf"|(?<![A-Za-z0-9_])_(?P<em2>{_EDGE}(?:[^_\n]*{_EDGE})?)_(?![A-Za-z0-9_])"
)


def _allowed(url: str) -> bool:
    return url.startswith(LINK_PREFIXES) and "\\" not in url


def problem(text: str) -> str | None:
    """Why this text may not be shown, in one line; None when it holds only plain words and allowed markup.

    The line never repeats the offending text (it is shown on the app's error page): it says what was found and
    where, counting characters from 1."""
    if m := _IMAGE.search(text):
        return f"holds an image (character {m.start() + 1}); {ALLOWED}"
    if m := _HTML.search(text):
        return f"holds raw HTML (character {m.start() + 1}); {ALLOWED}"
    for pattern in (_LINK, _REFERENCE):
        for m in pattern.finditer(text):
            if not _allowed(m.group(1)):
                return f"holds a link to another site (character {m.start() + 1}); {ALLOWED}"
    for m in _URL.finditer(text):
        if not _allowed(m.group(0)):
            return f"holds a web address of another site (character {m.start() + 1}); {ALLOWED}"
    return None


def check(text: str) -> str:
    """The text unchanged, or ValueError naming what is refused (used as a pydantic validator)."""
    reason = problem(text)
    if reason:
        raise ValueError(reason)
    return text


def _escape(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    # GitHub-style autolinks are found in the text after escapes are read, so a backslash cannot stop them:
    # an invisible word joiner inside "http://", "www." and "name@host" does.
    text = _SCHEME.sub(JOINER + r"\1", text)
    text = _WWW.sub(r"\1" + JOINER + ".", text)
    return text.replace("\\@", JOINER + "\\@")


def _block_safe(text: str) -> str:
    m = _BLOCK.match(text)
    if not m:
        return text
    if m.group(0).isdigit():  # "1." or "1)" would start a numbered list
        return f"{m.group(0)}\\{text[m.end():]}"
    return f"\\{text}"


def escape_markdown(text: str) -> str:
    """Plain text as markdown that shows exactly these characters: whitespace runs become one space, and every
    character that could start markup is backslash-escaped, so nothing is left to become a link, image, tag,
    heading, list, colour, icon or formula."""
    return _block_safe(_escape(" ".join(str(text).split())))


def markdown(text: str) -> str:
    """Evidence text as safe markdown: plain, except the allowed emphasis and doi.org / PubMed links."""
    text = " ".join(str(text).split())
    out: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(text):
        out.append(_escape(text[pos:m.start()]))
        if m.group("url"):
            out.append(f"[{_escape(m.group('ltext'))}]({m.group('url')})")
        elif m.group("bare"):
            out.append(f"[{_escape(m.group('bare'))}]({m.group('bare')})")
        elif m.group("strong"):
            out.append(f"**{_escape(m.group('strong'))}**")
        else:
            out.append(f"*{_escape(m.group('em') or m.group('em2'))}*")
        pos = m.end()
    out.append(_escape(text[pos:]))
    return _block_safe("".join(out))


def plain(text: str) -> str:
    """The words only, with the allowed markup taken out: '[the trial](https://doi.org/x)' becomes
    'the trial (https://doi.org/x)' and '*very*' becomes 'very'. For places that show text as it is."""

    def words(m: re.Match) -> str:
        if m.group("url"):
            return f"{m.group('ltext')} ({m.group('url')})"
        return m.group("bare") or m.group("strong") or m.group("em") or m.group("em2")

    return _TOKENS.sub(words, str(text))


def plotly(text: str) -> str:
    """Text for Plotly labels, which read a few HTML tags (<a>, <b>, <br>...): <, > and & are escaped."""
    return html.escape(str(text), quote=False)


def doi_url(doi: str) -> str:
    """The address of a DOI at doi.org, percent-encoded: a DOI may hold brackets, '#', '<' and other characters
    that an address or markdown would read as markup."""
    return f"https://doi.org/{quote(doi, safe='/')}"


def doi_markdown(doi: str) -> str:
    """A markdown link to a DOI at doi.org: the DOI shown escaped, the address percent-encoded."""
    return f"[doi\\:{_escape(doi)}]({doi_url(doi)})"
