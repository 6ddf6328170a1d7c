"""Imports every model module so metadata (and Alembic) sees all tables."""

from kiosk.accounts.models import User, user_department
from kiosk.audit import AuditRecord
from kiosk.cards.models import Card, CardChange, Edition
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, Setting, SharedFee

__all__ = ["AuditRecord", "Card", "CardChange", "Category", "Department", "Edition", "FormFile", "LegalAct",
           "LifeSituation", "Location", "Setting", "SharedFee", "User", "user_department"]  # fmt: skip
