"""`guardrails modules fetch`: registry, git and archive module sources, installed into the cache.

With `prices update`, the only code that reaches the network, and only when asked.
"""
