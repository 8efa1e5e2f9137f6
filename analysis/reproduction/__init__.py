"""The comparison with what the paper printed (Kemerovo region only): the reproduction ledger.
Calls inputs, indicators and the core."""
