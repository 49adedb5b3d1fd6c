"""factory-boy factories for the peer network. Posts go through `services.write_post`'s
indexing, so "who else works on this?" finds them."""

from __future__ import annotations

import factory
from django.db.models import F

from innohub.network import services
from innohub.network.models import Comment, Post, PostKind, Topic
from tests.factories import UserFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    kind = PostKind.CHALLENGE
    title = factory.Sequence(lambda n: f"Post {n}")
    body = "Citizens wait weeks for a land record certificate."
    author = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        post = super()._create(model_class, *args, **kwargs)
        services._index(post)
        return post


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = "We tried a single counter in Savar."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comment = super()._create(model_class, *args, **kwargs)
        Post.objects.filter(pk=comment.post_id).update(comments_count=F("comments_count") + 1)
        return comment
