"""The organiser's workbench in the browser (``solve.py serve``)."""
