"""Hands: clients and generators that talk to the outside world; they know nothing of store, agent or bot."""
