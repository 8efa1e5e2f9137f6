"""The input layer: the paper's transcription, Rosstat's importers, the region registry and users'
region folders, each as tidy tables. Calls only the core."""
