"""Shared fixtures for the end-to-end tests against real external programs.

The pytest-odoo plugin has already loaded the registry of the test database;
programs are started on 127.0.0.1 in temporary folders and stopped by PID.
"""
import os

import pytest
from e2e_support import Program, require_program

import odoo
from odoo import SUPERUSER_ID, api


@pytest.fixture
def start_program(tmp_path):
    """start_program(args, name=...) -> Program; every program is stopped after the test."""
    programs = []

    def start(args, name=None, **kwargs):
        require_program(args[0])
        log_path = tmp_path / f"{name or os.path.basename(args[0])}-{len(programs)}.log"
        program = Program(args, log_path=str(log_path), **kwargs)
        programs.append(program)
        return program

    yield start
    for program in reversed(programs):
        program.stop()


@pytest.fixture
def odoo_registry():
    from odoo.tests.common import get_db_name

    return odoo.modules.registry.Registry(get_db_name())


@pytest.fixture
def odoo_env(odoo_registry):
    """An environment on its own cursor, rolled back after the test."""
    with odoo_registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.rollback()


@pytest.fixture
def odoo_url():
    """Base URL of the Odoo HTTP server that pytest-odoo started (--odoo-http)."""
    return f"http://127.0.0.1:{odoo.tools.config['http_port']}"
