"""Joint procurement: supplier offers, pooled orders and delivery splits."""
