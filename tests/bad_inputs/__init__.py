"""The corpus of broken and hostile inputs (issue 7); see cases.py and tests/test_bad_inputs.py."""
