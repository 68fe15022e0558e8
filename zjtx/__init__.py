"""Tianjin 专精特新 open register: load, check and publish the data package."""

import csv

__version__ = "0.1.0"

# Python's csv module refuses a cell longer than 131,072 characters, and a reader stopped there reads as a stray
# quote. Every reader of the package (csvfile, load, diff, scope) lifts it here, once, to Frictionless's own limit;
# how long a text may be is for the length rules of validate to judge, with the fix.
csv.field_size_limit(2_147_483_646)
