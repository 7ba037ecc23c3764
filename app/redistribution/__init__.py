"""Need-based redistribution proposals, logistics-meeting decisions and the ledger."""
