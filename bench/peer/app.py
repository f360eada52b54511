"""The comparison peer: a plain FastAPI + SQLAlchemy 2 (asyncpg) + orjson app over Benchtop's own tables.

It answers four of Benchtop's read endpoints with the same JSON, byte for byte (the host in
``next`` links aside), the way a small hand-written service would: a bearer JWT checked with
the same key, the user and role in one query, a COUNT and one page query per list.
``bench/bench_compare.py`` starts it with uvicorn beside Benchtop on the same database.

Environment: ``PEER_DATABASE_URL`` (postgresql+asyncpg://...), ``PEER_SIGNING_KEY`` (Benchtop's SECRET_KEY),
``PEER_LEDGER_BY_CURSOR`` (``1``: the ledger pages by cursor like Benchtop's; ``0``: by page number).
"""
import os
from base64 import b64encode
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

import jwt
import orjson
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(os.environ["PEER_DATABASE_URL"], pool_size=10)
SIGNING_KEY = os.environ["PEER_SIGNING_KEY"]
# Benchtop pages the stock ledger by cursor; an older Benchtop (for "before" figures) by page number.
LEDGER_BY_CURSOR = os.environ.get("PEER_LEDGER_BY_CURSOR", "1") == "1"
RANKS = {"viewer": 1, "member": 2, "operator": 3, "admin": 4}
app = FastAPI()

USER = text("""
    SELECT u.id, u.username, u.email, u.display_name, u.time_zone, u.discord_id, u.notification_preferences,
           u.date_joined, u.last_login, u.is_active, u.is_superuser,
           (SELECT g.name FROM auth_group g JOIN accounts_user_groups ug ON ug.group_id = g.id
             WHERE ug.user_id = u.id AND g.name IN ('admin', 'operator', 'member', 'viewer')
             ORDER BY CASE g.name WHEN 'admin' THEN 4 WHEN 'operator' THEN 3 WHEN 'member' THEN 2 ELSE 1 END DESC
             LIMIT 1) AS role
      FROM accounts_user u WHERE u.id = :id""")

ASSETS = text("""
    SELECT a.id, a.public_id, a.inventory_id, a.name, a.serial_number, a.device_type_id, dt.name AS device_type_name,
           dt.category, a.manufacturer_id, m.name AS manufacturer_name, a.location_id, l.full_name AS location_path,
           a.rack_position, host(a.management_ip) AS management_ip, a.status, g.name AS owner_group,
           ARRAY(SELECT at.tag_id FROM inventory_asset_tags at JOIN inventory_tag t ON t.id = at.tag_id
                  WHERE at.asset_id = a.id ORDER BY t.name) AS tags,
           a.notes, a.custom_fields, a.purchase_date, a.purchase_cost, a.warranty_until, a.next_maintenance_due,
           c.id AS c_id, c.to_user_id, c.reference_type, c.reference_id, cu.display_name AS cu_display,
           cu.username AS cu_username, c.checked_out_at, c.expected_return, a.created_at, a.updated_at
      FROM inventory_asset a
      JOIN inventory_devicetype dt ON dt.id = a.device_type_id
      LEFT JOIN inventory_manufacturer m ON m.id = a.manufacturer_id
      LEFT JOIN inventory_location l ON l.id = a.location_id
      LEFT JOIN auth_group g ON g.id = a.owner_group_id
      LEFT JOIN inventory_checkout c ON c.asset_id = a.id AND c.checked_in_at IS NULL
      LEFT JOIN accounts_user cu ON cu.id = c.to_user_id
     ORDER BY a.inventory_id LIMIT :limit OFFSET :offset""")

BOOKINGS = text("""
    SELECT b.id, b.device_id, d.name AS device_name, b.user_id, u.display_name, u.username, b.start, b."end",
           b.status, b.group_id, b.series_id,
           ARRAY(SELECT bc.user_id FROM scheduler_booking_collaborators bc WHERE bc.booking_id = b.id
                  ORDER BY bc.user_id) AS collaborators,
           b.comment, b.decided_by_id, b.decided_at, b.reason, b.created_at, b.updated_at
      FROM scheduler_booking b JOIN scheduler_device d ON d.id = b.device_id JOIN accounts_user u ON u.id = b.user_id
     ORDER BY b.start, b.id LIMIT :limit OFFSET :offset""")

MOVEMENTS = text("""
    SELECT s.id, s.at, s.material_id, m.name AS material_name, s.stock_item_id, si.location_id,
           l.full_name AS location_path, si.lot, s.kind, s.quantity, s.on_hand_change, s.allocated_change,
           s.on_hand_after, s.counted, s.actor_id, u.username AS actor_name, s.holder_id, s.reason,
           s.reference_type, s.reference_id, s.transfer_id
      FROM inventory_stockmovement s JOIN inventory_material m ON m.id = s.material_id
      JOIN inventory_stockitem si ON si.id = s.stock_item_id JOIN inventory_location l ON l.id = si.location_id
      LEFT JOIN accounts_user u ON u.id = s.actor_id
     ORDER BY s.at DESC, s.id DESC LIMIT :limit OFFSET :offset""")


def when(value: datetime | None):
    """A date-time as DRF writes it (ISO 8601, ``Z`` for UTC)."""
    if value is None:
        return None
    text_ = value.isoformat()
    return text_[:-6] + "Z" if text_.endswith("+00:00") else text_


def day(value):
    return None if value is None else value.isoformat()


def decimal(value: Decimal | None, places: int):
    return None if value is None else f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def uuid(value):
    return None if value is None else str(value)


def as_json(value):
    return None if value is None else orjson.loads(value) if isinstance(value, str) else value


async def current_user(authorization: str | None):
    """The bearer token's active user and role, or 401."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "Authentication credentials were not provided.")
    try:
        claims = jwt.decode(authorization[7:], SIGNING_KEY, algorithms=["HS256"])
    except jwt.PyJWTError as exc:
        raise HTTPException(401, "Given token not valid for any token type") from exc
    async with engine.connect() as conn:
        user = (await conn.execute(USER, {"id": int(claims["user_id"])})).mappings().first()
    if user is None or not user["is_active"]:
        raise HTTPException(401, "User not found")
    return user


def role_of(user) -> str | None:
    return "admin" if user["is_superuser"] else user["role"]


def page_links(request: Request, page: int, size: int, count: int):
    def link(number):
        query = dict(request.query_params) | {"page": str(number)}
        if number == 1:
            query.pop("page")
        return f"{request.url.scheme}://{request.headers['host']}{request.url.path}" + (
            "?" + urlencode(sorted(query.items())) if query else "")

    last = max(1, -(-count // size))
    return (link(page + 1) if page < last else None), (link(page - 1) if page > 1 else None)


async def page_of(request, authorization, query, table, page, page_size, row):
    user = await current_user(authorization)
    if RANKS.get(role_of(user), 0) < RANKS["viewer"]:
        raise HTTPException(403, "This needs the viewer role or above.")
    size = min(max(page_size, 1), 500)
    async with engine.connect() as conn:
        count = (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
        rows = (await conn.execute(query, {"limit": size, "offset": (page - 1) * size})).mappings().all()
    following, previous = page_links(request, page, size, count)
    body = {"count": count, "next": following, "previous": previous, "results": [row(r) for r in rows]}
    return Response(orjson.dumps(body), media_type="application/json")


def asset_row(r):
    checked_out = None
    if r["c_id"] is not None:
        holder = ((r["cu_display"] or r["cu_username"]) if r["to_user_id"]
                  else f"{r['reference_type']} #{r['reference_id']}")
        checked_out = {"id": r["c_id"], "to_user": r["to_user_id"], "reference_type": r["reference_type"],
                       "reference_id": r["reference_id"], "holder": holder,
                       "checked_out_at": when(r["checked_out_at"]), "expected_return": day(r["expected_return"])}
    return {
        "id": r["id"], "public_id": uuid(r["public_id"]), "inventory_id": r["inventory_id"], "name": r["name"],
        "serial_number": r["serial_number"], "device_type": r["device_type_id"],
        "device_type_name": r["device_type_name"], "category": r["category"], "manufacturer": r["manufacturer_id"],
        "manufacturer_name": r["manufacturer_name"], "location": r["location_id"],
        "location_path": r["location_path"], "rack_position": r["rack_position"],
        "management_ip": r["management_ip"], "status": r["status"], "owner_group": r["owner_group"],
        "tags": list(r["tags"]), "notes": r["notes"], "custom_fields": as_json(r["custom_fields"]),
        "purchase_date": day(r["purchase_date"]), "purchase_cost": decimal(r["purchase_cost"], 2),
        "warranty_until": day(r["warranty_until"]), "next_maintenance_due": day(r["next_maintenance_due"]),
        "checked_out": checked_out, "created_at": when(r["created_at"]), "updated_at": when(r["updated_at"]),
    }


def booking_row(r):
    return {
        "id": r["id"], "device": r["device_id"], "device_name": r["device_name"], "user": r["user_id"],
        "user_name": r["display_name"] or r["username"], "start": when(r["start"]), "end": when(r["end"]),
        "status": r["status"], "group_id": uuid(r["group_id"]), "series": r["series_id"],
        "collaborators": list(r["collaborators"]), "comment": r["comment"], "decided_by": r["decided_by_id"],
        "decided_at": when(r["decided_at"]), "reason": r["reason"], "created_at": when(r["created_at"]),
        "updated_at": when(r["updated_at"]),
    }


def movement_row(r):
    return {
        "id": r["id"], "at": when(r["at"]), "material": r["material_id"], "material_name": r["material_name"],
        "stock_item": r["stock_item_id"], "location": r["location_id"], "location_path": r["location_path"],
        "lot": r["lot"], "kind": r["kind"], "quantity": decimal(r["quantity"], 3),
        "on_hand_change": decimal(r["on_hand_change"], 3), "allocated_change": decimal(r["allocated_change"], 3),
        "on_hand_after": decimal(r["on_hand_after"], 3), "counted": decimal(r["counted"], 3),
        "actor": r["actor_id"], "actor_name": r["actor_name"], "holder": r["holder_id"], "reason": r["reason"],
        "reference_type": r["reference_type"], "reference_id": r["reference_id"], "transfer_id": uuid(r["transfer_id"]),
    }


@app.get("/api/inventory/assets/")
async def assets(request: Request, page: int = 1, page_size: int = 50, authorization: str | None = Header(None)):
    return await page_of(request, authorization, ASSETS, "inventory_asset", page, page_size, asset_row)


@app.get("/api/scheduler/bookings/")
async def bookings(request: Request, page: int = 1, page_size: int = 50, authorization: str | None = Header(None)):
    return await page_of(request, authorization, BOOKINGS, "scheduler_booking", page, page_size, booking_row)


@app.get("/api/inventory/movements/")
async def movements(request: Request, page: int = 1, page_size: int = 50, authorization: str | None = Header(None)):
    if not LEDGER_BY_CURSOR:
        return await page_of(request, authorization, MOVEMENTS, "inventory_stockmovement", page, page_size,
                             movement_row)
    # The ledger pages by cursor (newest first, no count): the first page, and a link to the next.
    user = await current_user(authorization)
    if RANKS.get(role_of(user), 0) < RANKS["viewer"]:
        raise HTTPException(403, "This needs the viewer role or above.")
    size = min(max(page_size, 1), 500)
    async with engine.connect() as conn:
        rows = (await conn.execute(MOVEMENTS, {"limit": size + 1, "offset": 0})).mappings().all()
    following = None
    if len(rows) > size:
        offset, last = 0, size - 1
        while last > 0 and rows[last]["at"] == rows[size]["at"]:
            offset, last = offset + 1, last - 1
        token = b64encode(urlencode({"o": str(offset), "p": str(rows[last]["at"])} if offset else
                                    {"p": str(rows[last]["at"])}).encode()).decode()
        query = dict(request.query_params) | {"cursor": token}
        following = f"{request.url.scheme}://{request.headers['host']}{request.url.path}?{urlencode(sorted(query.items()))}"
    body = {"next": following, "previous": None, "results": [movement_row(r) for r in rows[:size]]}
    return Response(orjson.dumps(body), media_type="application/json")


@app.get("/api/auth/me/")
async def me(authorization: str | None = Header(None)):
    u = await current_user(authorization)
    body = {
        "id": u["id"], "username": u["username"], "email": u["email"], "display_name": u["display_name"],
        "time_zone": u["time_zone"], "discord_id": u["discord_id"],
        "notification_preferences": as_json(u["notification_preferences"]), "role": role_of(u),
        "date_joined": when(u["date_joined"]), "last_login": when(u["last_login"]),
    }
    return Response(orjson.dumps(body), media_type="application/json")
