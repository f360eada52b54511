"""Finding hardware: serial ports and what answers on them, and devices announcing themselves on the broker."""
