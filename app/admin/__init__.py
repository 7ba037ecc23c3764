"""Administration of users and organisations."""
