#!/usr/bin/env python3
"""Plan a multi-day training programme: ``python solve.py [SCENARIO] [options]``."""

import sys

from scheduler.cli import main

if __name__ == "__main__":
    sys.exit(main())
