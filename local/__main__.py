"""`python -m local` (what `make local` runs): the embedded AWS, the API and a seeded demo."""

from .launcher import main

main()
