# nbval does not re-run the Korean edition: its code cells and outputs are copies of the English notebooks'
# (tests/test_translations.py checks that they are identical).
collect_ignore = ["ko"]
