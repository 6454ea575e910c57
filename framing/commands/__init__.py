"""The command line: what each command does with its parsed arguments; errors become messages and exit codes."""
