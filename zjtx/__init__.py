"""Tianjin 专精特新 open register: load, check and publish the data package."""

__version__ = "0.1.0"
