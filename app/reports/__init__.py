"""Municipal situation reports (lägesbild) and the county picture."""
