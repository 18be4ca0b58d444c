"""Draws the synthetic cat / non-cat pictures with plain numpy, the same on every run and machine:
`dataset` assembles them from the modules named after what they draw (see data/README.md)."""
