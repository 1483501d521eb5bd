"""The embedded AWS for local mode and tests: moto plus what moto lacks. Never imported by chalicelib."""
