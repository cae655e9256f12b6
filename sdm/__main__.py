import sys

from .outputs.cli import main

sys.exit(main())
