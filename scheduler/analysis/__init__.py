"""Reading a plan against its scenario: the independent checker, the explanation of its objective,
the difference between two plans and the comparison of variants. Never imports the solver.
"""
