"""Teaching, methods and readiness: the teaching page's vignettes and prompts (vignettes), the sensitivity
grid (sensitivity), figures and side-by-side tables (figures), what changed between two scenarios (compare),
guess first (guess), the methods page (methods: IPDAS checklist) and the SURE/readiness questions
(readiness). May import sdm.evidence, sdm.words and sdm.engine; never sdm.present or sdm.outputs.

The names the teaching page uses are reachable here (`from sdm import teaching; teaching.sensitivity_grid`).
On import this package registers its readers of its own data files with the evidence loader, so `load`
(and `python -m sdm validate`) checks them with the rest of data/.
"""

from ..evidence.loader import page_file_check
from . import methods, readiness, vignettes
from .compare import STATUS_WORDS, Change, diff_scenarios
from .figures import (
    REFERENCE_KIND_WORDS,
    ReferenceLine,
    TableCell,
    TableRow,
    figure_label,
    reference_lines,
    reference_of,
    side_table,
    source_name,
    working,
)
from .guess import Calibration, GuessItem, ItemScore, guess_items, score_guesses, truths
from .sensitivity import GridCell, arrange, grid_cells, sensitivity_grid, to_frame
from .vignettes import (
    CLOSE_PER_100,
    DEFAULT_GRID_DAYS,
    DENOMINATOR,
    GRID_OUTCOMES,
    GUESS_OUTCOMES,
    PROMPTS_FILE,
    TABLE_OUTCOMES,
    VIGNETTES_FILE,
    Prompt,
    TeachingPoint,
    Vignette,
    discussion_prompts,
    load_vignettes,
)

for _read in (vignettes.load_vignettes, vignettes.discussion_prompts, methods.ipdas_table):
    page_file_check(_read)

__all__ = [
    "CLOSE_PER_100", "DEFAULT_GRID_DAYS", "DENOMINATOR", "GRID_OUTCOMES", "GUESS_OUTCOMES", "PROMPTS_FILE",
    "REFERENCE_KIND_WORDS", "STATUS_WORDS", "TABLE_OUTCOMES", "VIGNETTES_FILE", "Calibration", "Change",
    "GridCell", "GuessItem", "ItemScore", "Prompt", "ReferenceLine", "TableCell", "TableRow", "TeachingPoint",
    "Vignette", "arrange", "diff_scenarios", "discussion_prompts", "figure_label", "grid_cells", "guess_items",
    "load_vignettes", "methods", "readiness", "reference_lines", "reference_of", "score_guesses",
    "sensitivity_grid", "side_table", "source_name", "to_frame", "truths", "vignettes", "working",
]
