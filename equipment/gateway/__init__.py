"""The hardware gateway: one process that holds every machine connection (``manage.py run_gateway``).

Services never talk to machines; they queue ``Command`` rows. The gateway takes them
(``services.link.claim_commands``), hands each to the thread that holds that machine's
connection, polls status, batches telemetry into the database, streams jobs and reports
what happened through the same services.
"""
