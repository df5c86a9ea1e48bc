"""The built-in language backends; importing this package registers them."""

from . import azerbaijani, english, russian

__all__ = ["azerbaijani", "english", "russian"]
