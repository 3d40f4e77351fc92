"""Allow `python -m siaga`."""

from siaga.cli import main

main()
