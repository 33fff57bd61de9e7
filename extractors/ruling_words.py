"""OCR words that a vertical ruling runs through: split them at the rule.

Tesseract reads a column rule between two tight header cells as a "|" and
glues both cells into one word ("2011|2012", or "20112012" without the bar, over
the "Năm 2011" and "Năm 2012" cells of a multi-year grid), or keeps a stray "|" on a word's edge ("|2013")
a few points away from the rule, beyond what `ocr.drop_ruling_artefacts`
tolerates.  The glued word then falls into one cell by its centre, one year
column gets two years and the next none.  Here such a word is cut where the
rules cross it, each part keeping the box between its rules.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cchc.core.model import BBox, Page, Word

BAR = "|"
EDGE_TOL = 8.0  # points between a word's edge "|" and the rule it was read from


def _verticals_through(word: Word, verticals: list[BBox]) -> list[float]:
    x0, y0, x1, y1 = word.bbox
    cy = (y0 + y1) / 2
    return sorted(v[0] for v in verticals if v[1] - 4 <= cy <= v[3] + 4 and x0 - EDGE_TOL <= v[0] <= x1 + EDGE_TOL)


def split_word(word: Word, verticals: list[BBox]) -> list[Word]:
    """The word cut at the rules its "|" stand for; [word] when it holds none or they do not line up."""
    x0, y0, x1, y1 = word.bbox
    if BAR not in word.text:
        return _cut_in_proportion(word, verticals)
    xs = _verticals_through(word, verticals)
    if not xs:
        return [word]
    parts = [p.strip() for p in word.text.split(BAR)]
    inner = [x for x in xs if x0 + 2 < x < x1 - 2]
    kept = [p for p in parts if p]
    if not kept:
        return []
    if len(kept) == 1:
        # "|2013", "2011|": only an edge bar, next to a rule
        return [replace(word, text=kept[0])] if not inner or len(inner) == 1 else [word]
    if not (parts[0] and parts[-1]) or len(kept) != len(inner) + 1 or len(kept) != len(parts):
        return [word]
    edges = [x0, *inner, x1]
    out = []
    for i, text in enumerate(kept):
        a, b = edges[i] + (1.0 if i else 0.0), edges[i + 1] - (1.0 if i < len(kept) - 1 else 0.0)
        out.append(replace(word, text=text, bbox=(a, y0, max(b, a + 1.0), y1)))
    return out


MIN_CUT_SHARE = 0.3  # a rule this far inside a word (either side) is not its box overshooting


def _cut_in_proportion(word: Word, verticals: list[BBox]) -> list[Word]:
    """A figure read across one rule with no bar ("20112012" over two year cells): cut where the rule
    crosses it, characters shared by width (digits are of one width)."""
    x0, y0, x1, y1 = word.bbox
    text = word.text
    glued = _GLUED.match(text)  # "2011)2012": the rule read as another stroke
    if len(text) < 4 or not (text.isdigit() or glued):
        return [word]
    inner = [x for x in _verticals_through(word, verticals)
             if x0 + MIN_CUT_SHARE * (x1 - x0) < x < x1 - MIN_CUT_SHARE * (x1 - x0)]
    if len(inner) != 1:
        return [word]
    left, right = (glued.group(1), glued.group(2)) if glued else (text, "")
    if not glued:
        k = round(len(text) * (inner[0] - x0) / (x1 - x0))
        left, right = text[:k], text[k:]
    return [replace(word, text=left, bbox=(x0, y0, inner[0] - 1.0, y1)),
            replace(word, text=right, bbox=(inner[0] + 1.0, y0, x1, y1))]


_GLUED = re.compile(r"^(\d{2,})[)(\]\[!/lI](\d{2,})$")


def split_words_at_rulings(page: Page) -> int:
    """Cut the page's words at the vertical rules they were read across (in place); how many changed."""
    verticals = [r for r in page.rulings if abs(r[2] - r[0]) <= 1.0]
    if not verticals:
        return 0
    changed = 0
    new_of: dict[int, list[Word]] = {}
    for w in page.words:
        parts = split_word(w, verticals)
        if len(parts) != 1 or parts[0] is not w:
            new_of[id(w)] = parts
            changed += 1
    if not changed:
        return 0
    page.words = [p for w in page.words for p in new_of.get(id(w), [w])]
    for ln in page.lines:
        ln.words = [p for w in ln.words for p in new_of.get(id(w), [w])]
    page.lines = [ln for ln in page.lines if ln.words]
    return changed


def words_stand_on_end(page: Page) -> bool:
    """Most words taller than wide: a page lying on its side that Tesseract read as vertical text.

    Its words can read well (no gibberish for `ocr._reads_as_turned` to see) while their boxes run
    down the page, so no grid can be built from them; measured 0.98 of the words on such a page,
    0.0 on upright ones.
    """
    long = [w for w in page.words if len(w.text) >= 3]
    if len(long) < 30:
        return False
    tall = sum(1 for w in long if (w.bbox[3] - w.bbox[1]) > 1.2 * (w.bbox[2] - w.bbox[0]))
    return tall > 0.6 * len(long)
