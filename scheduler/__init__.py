"""Itinerary optimizer for multi-day training programmes."""

__version__ = "0.1.0"
