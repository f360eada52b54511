"""Factories for users and API keys."""
import factory

from accounts import roles
from accounts.models import ApiKey, User, hash_key

DEFAULT_PASSWORD = "Correct-Horse-42!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        role = extracted or roles.MEMBER
        self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.is_staff = role in (roles.ADMIN, roles.OPERATOR)
        self.save()


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """A key row for listing; keys that authenticate come from ``services.create_api_key``."""

    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"gateway {n}")
    user = factory.SubFactory(UserFactory)
    role = roles.MEMBER
    prefix = factory.Sequence(lambda n: f"bt{n:08d}")
    key_hash = factory.LazyAttribute(lambda k: hash_key(k.prefix))
    created_by = factory.SelfAttribute("user")
