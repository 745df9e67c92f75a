"""What the solver knows before it models: candidate choices, the rest of the programme held fixed,
the skeleton of nights and visits, and the size decisions. No OR-Tools.
"""
