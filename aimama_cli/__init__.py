"""aimama: records toolkit for the 爱心妈妈 (Caring Mothers) programme."""

__version__ = "0.1.0"
