"""The network: bounded HTTP downloads, for the two commands that may reach it."""
