"""Voice commands: words (typed or transcribed) parsed into an intent, then carried out through the services."""
