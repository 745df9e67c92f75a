"""The plan: events and nights, the solver's figures (``Result``), the JSON form, the figures read
from a plan and the bilingual words of its kinds.
"""
