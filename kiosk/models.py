"""Imports every model module so metadata (and Alembic) sees all tables."""

from kiosk.accounts.models import User, UserSession, user_department
from kiosk.audit import AuditRecord
from kiosk.cards.models import Card, CardChange, Edition
from kiosk.cards.translation_models import Translation
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, Setting, SharedFee
from kiosk.freshness.models import Feedback, FreshnessSnapshot, ReminderLog, ReviewFlag
from kiosk.intake.models import CardIntakeRule, Case, CaseChecklistItem, CaseCounter, CaseEvent
from kiosk.kiosk_ui.models import KioskDevice
from kiosk.ratelimit import Attempt
from kiosk.search.models import SearchQuery

__all__ = [
    "Attempt",
    "AuditRecord",
    "Card",
    "CardChange",
    "CardIntakeRule",
    "Case",
    "CaseChecklistItem",
    "CaseCounter",
    "CaseEvent",
    "Category",
    "Department",
    "Edition",
    "Feedback",
    "FormFile",
    "FreshnessSnapshot",
    "KioskDevice",
    "LegalAct",
    "LifeSituation",
    "Location",
    "ReminderLog",
    "ReviewFlag",
    "SearchQuery",
    "Setting",
    "SharedFee",
    "Translation",
    "User",
    "UserSession",
    "user_department",
]
