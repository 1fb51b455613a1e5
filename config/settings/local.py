"""Laptop settings: `make run`. Debug on, console email, embedded services unless URLs are set."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
