"""reader: a keyboard-driven terminal reader."""

__version__ = "0.1.0"
