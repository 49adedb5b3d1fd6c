"""The sizes of the network's text fields: the one place models, forms, schemas and checks
read them from."""

from __future__ import annotations

TITLE_MAX = 200  # a post's title
BODY_MAX = 10_000  # a post's or a comment's text
TOPIC_MAX = 60  # a topic's name
TOPICS_MAX = 5  # topics on one post
REASON_MAX = 500  # why something was reported or hidden
SIMILAR_TEXT_MAX = 2_000  # the text "who else works on this?" compares
SIMILAR_LIMIT_MAX = 50
DIGEST_POSTS_MAX = 20  # posts in one weekly digest e-mail
