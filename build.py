#!/usr/bin/env python3
"""Command line of the Tianjin 专精特新 open register: validate the data package and build the site."""

from __future__ import annotations

import click

import zjtx

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"])


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(zjtx.__version__)
def cli():
    """Validate the 专精特新 data package and publish it as a static site."""


if __name__ == "__main__":
    cli()
