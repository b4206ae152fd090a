"""The one registry of automated controls: every control folder is listed, and only once."""

from argparse import ArgumentParser
from pathlib import Path

import pytest

from ik.engine.controls.registry import CONTROLS, control_label, finding_kind_label, get_control
from ik.engine.errors import InputError

CONTROLS_DIR = Path(__file__).resolve().parents[1] / "controls"


def test_every_control_folder_is_in_the_registry_under_its_own_name():
    folders = {p.parent.name for p in CONTROLS_DIR.glob("*/spec.py")}
    assert folders == set(CONTROLS)
    assert all(name == spec.name for name, spec in CONTROLS.items())


def test_each_control_has_a_swedish_name_and_parses_its_own_arguments():
    for spec in CONTROLS.values():
        assert spec.label and spec.label != spec.name
        parser = ArgumentParser()
        spec.add_arguments(parser)
        options = {a.dest for a in parser._actions}
        assert {u.option.lstrip("-").replace("-", "_") for u in spec.uploads} <= options
        assert set(spec.registers) <= options


def test_an_unknown_control_is_refused_naming_the_known_ones():
    with pytest.raises(InputError, match="late_payments"):
        get_control("late_paiments")


def test_labels_fall_back_to_the_key_for_unknown_names():
    assert control_label("late_payments") == "Försent betalda fakturor"
    assert control_label("retired_control") == "retired_control"
    assert finding_kind_label("late_payment") == "Sen betalning"
    assert finding_kind_label("new_kind") == "new_kind"


def test_no_two_controls_label_one_key_differently():
    # The labels are merged into one table for the result page: a second control giving a
    # key another label would rename the first control's figure.
    for part in ("detail_labels", "column_labels", "finding_kinds"):
        labels: dict[str, tuple[str, str]] = {}
        for spec in CONTROLS.values():
            for key, label in getattr(spec, part).items():
                first = labels.setdefault(key, (spec.name, label))
                assert first[1] == label, (part, key, first[0], spec.name)
