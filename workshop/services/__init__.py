"""Every change of workshop state goes through these functions (API, pages, tasks, commands)."""
