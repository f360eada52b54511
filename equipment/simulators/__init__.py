"""Simulators that speak the machines' real protocols, for tests and the demo mode.

Serial firmware (Marlin, GRBL) answers on a pseudo-terminal, HTTP hosts (OctoPrint,
PrusaLink) on a local HTTP server, MQTT devices as a client of the real broker. The
drivers cannot tell them from hardware: they open the same kind of port and read the
same bytes.
"""
