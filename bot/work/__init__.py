"""Work off the ack path: doors defer jobs to a queue; workers (or the embedded default, in-process) run them."""
