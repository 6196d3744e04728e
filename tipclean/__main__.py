"""``python -m tipclean``."""

from tipclean.cli import main

raise SystemExit(main())
