"""The checks of ``build_gallery.py validate``: one small function per rule.

Each notebook check takes a :class:`~rouen_gallery.contribute.checks.base.Notebook` and returns a
list of :class:`~rouen_gallery.contribute.checks.base.Problem`; codes are stable (CONTRIBUTING.md
lists them), messages and fixes are in French.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import PLACEHOLDER, Notebook, Problem
from .code import check_data_access, check_loaded_datasets, check_provenance_footer, check_syntax
from .hygiene import (
    check_image_alt,
    check_image_sizes,
    check_outputs,
    check_placeholders,
    check_size,
)
from .parameters import check_parameters_cell, check_variants
from .personal import check_personal_columns_in_code
from .record import check_record
from .secrets import check_secrets

NOTEBOOK_CHECKS: tuple[Callable[[Notebook], list[Problem]], ...] = (
    check_record,
    check_parameters_cell,
    check_variants,
    check_outputs,
    check_size,
    check_image_sizes,
    check_image_alt,
    check_placeholders,
    check_syntax,
    check_secrets,
    check_data_access,
    check_loaded_datasets,
    check_personal_columns_in_code,
    check_provenance_footer,
)
"""Static checks, in the order their problems are listed."""

__all__ = ["NOTEBOOK_CHECKS", "PLACEHOLDER", "Notebook", "Problem"]
