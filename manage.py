#!/usr/bin/env python
"""Django's command-line utility; `newscast` (newscast/cli.py) is the friendlier front door."""

from newscast.cli import main

if __name__ == "__main__":
    main()
