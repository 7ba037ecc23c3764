"""Demo data: real Swedish municipalities with generated users, care units and reports."""
