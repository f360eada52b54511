"""The topology page: devices as a graph of their port links, each node with its booking and power state now.

The layout is computed here (no drawing library in the browser): each group of cabled devices
is laid out in columns by hops from its first device (by name), groups stacked, and devices
without links in rows below. The graph part re-renders when an event on the calendar or on a
PDU feeding a device arrives, so a switch or a booking changes its node live.
"""
from collections import defaultdict, deque

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import OPERATOR, has_role
from core.pages import viewer_required

from .models import Booking, Device, LinkEnd, MaintenanceWindow
from .queries_power import attach_power

NODE_W, NODE_H = 170, 54  # one node's box, in SVG units
COL_W, ROW_H, MARGIN = 250, 80, 16
LINK_LABELS = {"patch_panel": "patch"}  # short enough for the gap between two columns
LOOSE_COLUMNS = 4  # devices without links, per row


def booking_states(devices, now) -> dict[int, dict]:
    """``{"state": "free" | "booked" | "maintenance" | "unavailable", "booking": Booking | None}`` per device."""
    ids = [d.pk for d in devices]
    running = {}
    for booking in (Booking.objects.filter(device_id__in=ids, status=Booking.Status.CONFIRMED, start__lte=now,
                                           end__gt=now).select_related("user").order_by("start")):
        running.setdefault(booking.device_id, booking)
    in_maintenance = set(MaintenanceWindow.objects.filter(device_id__in=ids, start__lte=now, end__gt=now)
                         .values_list("device_id", flat=True))
    states = {}
    for device in devices:
        if device.status == Device.Status.MAINTENANCE or device.pk in in_maintenance:
            state = "maintenance"
        elif device.status == Device.Status.UNAVAILABLE:
            state = "unavailable"
        elif device.pk in running:
            state = "booked"
        else:
            state = "free"
        states[device.pk] = {"state": state, "booking": running.get(device.pk)}
    return states


def port_links() -> list[dict]:
    """Every link with both ends: ``{"id", "type", "a", "b", "a_port", "b_port"}`` (device ids), one query."""
    ends = defaultdict(list)
    for link_id, device_id, port, link_type in LinkEnd.objects.order_by("link_id", "id").values_list(
            "link_id", "device_id", "port", "link__link_type"):
        ends[link_id].append((device_id, port, link_type))
    return [{"id": pk, "type": pair[0][2], "a": pair[0][0], "b": pair[1][0], "a_port": pair[0][1],
             "b_port": pair[1][1]} for pk, pair in ends.items() if len(pair) == 2]


def layout(devices, links) -> tuple[dict[int, tuple[int, int]], int, int]:
    """Grid cell (column, row) per device id, and the grid's columns and rows."""
    neighbours = defaultdict(set)
    for link in links:
        if link["a"] != link["b"]:
            neighbours[link["a"]].add(link["b"])
            neighbours[link["b"]].add(link["a"])
    shown = {d.pk for d in devices}
    cells, row, columns = {}, 0, 1
    for device in devices:
        if device.pk in cells or not neighbours[device.pk]:
            continue
        layers, queue = defaultdict(list), deque([(device.pk, 0)])
        cells[device.pk] = None
        while queue:
            pk, depth = queue.popleft()
            layers[depth].append(pk)
            for other in sorted(neighbours[pk]):
                if other in shown and other not in cells:
                    cells[other] = None
                    queue.append((other, depth + 1))
        for depth, members in layers.items():
            for index, pk in enumerate(members):
                cells[pk] = (depth, row + index)
        row += max(len(members) for members in layers.values())
        columns = max(columns, len(layers))
    loose = [d.pk for d in devices if d.pk not in cells]
    per_row = max(columns, LOOSE_COLUMNS) if loose else columns
    for index, pk in enumerate(loose):
        cells[pk] = (index % per_row, row + index // per_row)
    rows = row + (len(loose) + per_row - 1) // per_row
    return cells, max(columns, min(per_row, len(loose)) if loose else columns), max(rows, 1)


def graph_context(request) -> dict:
    """Nodes with positions and states, edges with end points and link types, and the topics that change them."""
    now = timezone.now()
    devices = list(Device.objects.select_related("device_type").order_by("name"))
    pdu_topics = attach_power(devices)
    states = booking_states(devices, now)
    links = port_links()
    cells, columns, rows = layout(devices, links)
    nodes, centre = [], {}
    for device in devices:
        column, row = cells[device.pk]
        x, y = MARGIN + column * COL_W, MARGIN + row * ROW_H
        centre[device.pk] = (x + NODE_W // 2, y + NODE_H // 2)
        nodes.append({"device": device, "x": x, "y": y, "booking": states[device.pk]["state"],
                      "holder": states[device.pk]["booking"], "power": device.power or "none",
                      "type": device.device_type.name if device.device_type_id else ""})
    edges = []
    for link in links:
        if link["a"] in centre and link["b"] in centre:
            (x1, y1), (x2, y2) = centre[link["a"]], centre[link["b"]]
            edges.append({**link, "label": LINK_LABELS.get(link["type"], link["type"]), "x1": x1, "y1": y1,
                          "x2": x2, "y2": y2, "mx": (x1 + x2) // 2, "my": (y1 + y2) // 2})
    return {
        "nodes": nodes, "edges": edges, "now": now, "node_w": NODE_W, "node_h": NODE_H,
        "width": 2 * MARGIN + (columns - 1) * COL_W + NODE_W, "height": 2 * MARGIN + (rows - 1) * ROW_H + NODE_H,
        # One calendar topic covers every device's bookings and maintenance; the PDU topics carry switches.
        "live_topics": ",".join(["scheduler", *pdu_topics]),
        "is_operator": has_role(request.user, OPERATOR),
    }


@viewer_required
@require_GET
def topology(request):
    """The lab as a graph: devices, their port links, whether each is free, booked or in maintenance, and powered."""
    return render(request, "scheduler/topology.html", graph_context(request))


@viewer_required
@require_GET
def topology_graph(request):
    """Only the graph, for htmx to swap in after a live event."""
    return render(request, "scheduler/_topology_graph.html", graph_context(request))
