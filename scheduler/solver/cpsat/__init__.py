"""The CP-SAT model: variables, hard rules (one ``add_<rule>`` each), soft goals, switches, plan
extraction, model building and the one place that configures and runs CP-SAT.
"""
