"""When no plan exists or one is questioned: obstacles found before solving, the conflicting
requirements and relaxations, and trade-offs between goals.
"""
