"""Response models that copy a domain record field by field (the record's own names)."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class RecordOut(BaseModel):
    """A response shaped like one domain record: `Model.of(record)` reads each field by attribute.

    For the flat records of reports and timesheets, whose API shape is the record itself; models
    that rename or nest fields build themselves by hand.
    """

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls.model_validate(record)
