"""Rows of the access matrices (the accounts are the `users` fixture of conftest.py)."""

# Who is refused a page of the coordination, and how: a login redirect or a 403.
REFUSED_OUTSIDE_COORDINATION = [
    ("anonymous", 302),
    ("reader", 403),
    ("editor", 403),
    ("other_editor", 403),
]
