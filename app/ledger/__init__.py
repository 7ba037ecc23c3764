"""The books: every movement of goods between organisations, and every payment for them.

Entries are written only through :func:`~app.ledger.services.book` and
:func:`~app.ledger.services.reverse`, and never updated or deleted (the model refuses it,
and so does a database trigger). A correction is a reversing entry. Balances and what one
organisation owes another are sums over entries, never stored totals.
"""
