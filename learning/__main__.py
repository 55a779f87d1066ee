from __future__ import annotations

from learning.cli import main

raise SystemExit(main())
