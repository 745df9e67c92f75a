"""Search strategies over the CP-SAT model: the whole-model stages, large-neighbourhood search and
class by class.
"""
