"""Database backends of the site (PostgreSQL with a cheaper pooled-connection check)."""
