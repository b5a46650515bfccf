"""The demo loads the standard programme and its shared resources (see seed_demo)."""

from programmes.loader import load_programme


def seed(demo):
    demo.programme = load_programme().programme
