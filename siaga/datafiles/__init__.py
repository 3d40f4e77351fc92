"""Reading the shared reference data: the manifest of checksums and the file formats it comes in."""
