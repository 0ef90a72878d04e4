"""The MkDocs adapter: the plugin's typed config and the event wiring, nothing else."""
