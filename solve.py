#!/usr/bin/env python3
"""Plan a multi-day training programme: ``python solve.py [SCENARIO] [options]``."""

import sys

if __name__ == "__main__":
    # imported here, not above: the processes the outputs spawn import this file again, and
    # need none of the command line (the solver, OR-Tools) to draw a map
    from scheduler.cli import main

    sys.exit(main())
