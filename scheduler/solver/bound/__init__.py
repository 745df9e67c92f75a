"""The lower bound from whole weeks of day routes: route enumeration and generation, the
relaxation, pricing and branching.
"""
