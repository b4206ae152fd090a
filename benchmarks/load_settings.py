"""The settings `load.py` serves with: IK's own, plus one empty signed-in page.

The empty page (`load_urls.EMPTY`) is the floor every signed-in page stands on: the session,
the user, the user's rights and the base layout, with nothing in the content block. Serving
it from the same server in the same run shows how much of a real page's cost is that floor.
"""

from ik.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
