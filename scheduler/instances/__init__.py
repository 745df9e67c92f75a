"""Scenarios that come from elsewhere than a hand-written YAML file: the generator of programmes of
any size and the OPHS benchmark importer.
"""
