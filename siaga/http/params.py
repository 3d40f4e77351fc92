"""Parameter types shared by routes: database ids stay within what both databases store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite takes more, but ids never get there

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id")]
AfterId = Annotated[int, Query(ge=0, le=MAX_ID, description="keyset paging: ids after this")]
PageSize = Annotated[int, Query(ge=1, le=500, description="rows per page")]
IdValue = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id inside a JSON body
