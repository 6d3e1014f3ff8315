"""`python -m jixiao` runs the command line."""

from jixiao.console import main

main()
