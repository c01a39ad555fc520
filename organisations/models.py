"""The tenant (`Organisation`) and its employee directory (`Member`)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def admin_mfa_default() -> bool:
    """Whether a new organisation requires a second factor of its HR admins (a setting)."""
    return bool(settings.FLIPSIDE_ADMIN_MFA_DEFAULT)


class Organisation(models.Model):
    """A tenant: one company running reverse-mentoring programmes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC")
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    # Anonymity thresholds for feedback aggregates (DESIGN.md: never below 3).
    k_scores = models.PositiveSmallIntegerField(
        _("minimum raters for scores"), default=5, validators=[MinValueValidator(3)]
    )
    k_comments = models.PositiveSmallIntegerField(
        _("minimum raters for comments"), default=10, validators=[MinValueValidator(3)]
    )
    # HR admins see the whole directory and every report: with this on, an admin without
    # a second factor is sent to set one up before any page of the organisation.
    admins_require_mfa = models.BooleanField(
        _("HR admins must use two-factor authentication"), default=admin_mfa_default
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(k_scores__gte=3), name="organisation_k_scores_floor"
            ),
            models.CheckConstraint(
                condition=Q(k_comments__gte=3), name="organisation_k_comments_floor"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """One person in one organisation's directory, with an optional login."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("HR admin")
        MEMBER = "member", _("Member")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    email = models.EmailField(_("email"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    department = models.CharField(_("department"), max_length=100, blank=True)
    team = models.CharField(_("team"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="member_unique_email_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="member_unique_user_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "department"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class TenantModel(models.Model):
    """Base of tenant-owned rows: UUID key, direct organisation key, fail-closed manager."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        abstract = True
