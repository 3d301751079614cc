"""rivm-graph: the International Network of Michelin Cities as a Linked Open Data graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rivm-graph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
