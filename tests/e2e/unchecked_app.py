"""Test only: `python tests/e2e/unchecked_app.py run app.py ...` runs the app with the loader's evidence-text check
(sdm.safe_text.check) switched off, so a copy of data/ with markup planted in every text field loads. The planted-
image privacy test uses it to show that the pages themselves show such text as plain characters: the check in
`validate` is one guard, the escaping on every page is the other, and each must hold alone."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sdm.evidence.safe_text  # noqa: E402

sdm.evidence.safe_text.check = lambda text: text  # the pydantic validator looks the check up at call time

from streamlit.web.cli import main  # noqa: E402

sys.exit(main())
