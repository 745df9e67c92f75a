"""The plan: events and nights, the solver's figures (``Result``), the JSON form, the figures read
from a plan, the bilingual words of its kinds, and the simulation of a class's day along a route
(``day``) that the construction and the generator's witness share.
"""
