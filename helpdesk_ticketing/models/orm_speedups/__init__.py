"""Speed-ups that go around the ORM or into its private methods: each one is here because the
benchmark (bench/bench.py, bench/FINDINGS.md) shows what it buys, states that figure in its
docstring, and is pinned by a test (tests/test_orm_speedups.py) that fails loudly when an Odoo
upgrade changes what it relies on. Without this package the addon works the same, only slower.
"""
from . import group_order
from . import period_statistics
from . import ticket_code_sequence
from . import round_robin_sequence
from . import company_check
