"""`python -m autograd_core train|predict ...`: see autograd_core.cli."""

from .cli import main

raise SystemExit(main())
