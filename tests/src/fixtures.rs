//! Writes realistic MTP sequence folders, good and broken, for tests and benchmarks.
