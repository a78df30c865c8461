"""Memory: SQLAlchemy tables, migrations, token encryption and data functions."""
