"""Exit 0 when a PostgreSQL server answers at the URL given as argument (used by the Makefile)."""
import sys

import sqlalchemy as sa

if __name__ == "__main__":
    try:
        engine = sa.create_engine(sys.argv[1], connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        sys.exit(1)
