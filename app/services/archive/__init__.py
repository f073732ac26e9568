"""The archive (档案室): filing signed records of any department as sealed PDF/A copies with a
档号 (filing, numbers, retention, seal, pdfa, store, fixity).

Storage: copies live under ARCHIVE_ROOT (default instance/archive/). With several web nodes,
mount one shared volume (NFS v4 or a cluster file system, with close-to-open consistency) at
the same path on every node and set ARCHIVE_ROOT to it; set ARCHIVE_SEAL_PKCS12 (and its
password) to one seal file on that volume or on each node, so every node seals with the same
key and validates against the same certificate."""
