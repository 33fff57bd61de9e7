"""cchc: Vietnamese administrative-reform (CCHC) reports → one Parquet dataset."""

__version__ = "0.1.0"
