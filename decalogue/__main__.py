"""Lets `python -m decalogue` behave exactly like the `decalogue` command."""

from decalogue.cli import main

raise SystemExit(main())
