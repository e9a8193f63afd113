"""Newsroom's domain core: parsing raw coverage and diffing revisions.

Plain Python (standard library, beautifulsoup4, rapidfuzz); nothing here may import
Django — an import-linter contract run by the tests keeps it so.
"""
