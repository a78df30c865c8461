"""What the rooms of store/repositories/ share: `NotFound`, the checks of values coming in, statement helpers.

Only `NotFound` is public (the package re-exports it); the rest is for the rooms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Select, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Base

M = TypeVar("M", bound=Base)

_ERROR_LIMIT = 4000


class NotFound(LookupError):
    """A row the caller named by id does not exist."""


def check_choice(value: str | None, allowed: Sequence[str], what: str) -> None:
    """ValueError unless `value` is None or one of `allowed` (a vocabulary of store/models.py)."""
    if value is not None and value not in allowed:
        raise ValueError(f"invalid {what} {value!r}; expected one of {', '.join(allowed)}")


def currency_code(code: str) -> str:
    """An ISO 4217-shaped code, upper-cased; ValueError for anything else."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"invalid currency code {code!r}")
    return code


def as_money(amount: Decimal | int | str | None) -> Decimal | None:
    """A Decimal (None stays None); a float is refused, since it cannot hold money exactly."""
    if amount is None:
        return None
    if isinstance(amount, float):
        raise TypeError("money must be Decimal (or int/str), never float")
    return Decimal(amount)


def truncate_error(error: str | None) -> str | None:
    """An error message cut to `_ERROR_LIMIT` characters for storing."""
    return None if error is None else error[:_ERROR_LIMIT]


def core_table(model: type[Base]) -> Table:
    """A model's table, for Core statements run many rows at a time (executemany)."""
    return cast(Table, model.__table__)


async def first_row(session: AsyncSession, stmt: Select[M]) -> M | None:
    """The first row `stmt` selects, or None, read afresh from the database."""
    # populate_existing: rows changed by a Core UPDATE must not be served stale from the identity map.
    return (await session.scalars(stmt.execution_options(populate_existing=True))).first()


async def require_row(session: AsyncSession, model: type[M], key: str) -> M:
    """The row of `model` with primary key `key`; NotFound when there is none."""
    row = await session.get(model, key)
    if row is None:
        raise NotFound(f"{model.__name__} {key!r} not found")
    return row


def set_fields(row: Base, fields: Mapping[str, Any], *, frozen: Iterable[str] = ("id",)) -> None:
    """Set columns of `row` by name (the `**fields` of the update_* functions); ValueError names the first
    that is not a column or is `frozen`."""
    columns = set(row.__mapper__.columns.keys())
    for name, value in fields.items():
        if name not in columns or name in frozen:
            raise ValueError(f"{type(row).__name__} has no updatable field {name!r}")
        setattr(row, name, value)


async def insert_if_absent(
    session: AsyncSession, model: type[Base], values: dict[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        stmt = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
        result = cast(CursorResult[Any], await session.execute(stmt))
        return result.rowcount == 1
    try:
        async with session.begin_nested():
            session.add(model(**values))
        return True
    except IntegrityError:
        return False
