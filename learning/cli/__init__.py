"""The `learning` command line."""
