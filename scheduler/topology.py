"""The topology resolver: free devices that satisfy an abstract topology over a time window.

A topology is nodes (a wanted device type each) and edges (two nodes and the link types
allowed between them). Availability is real: active bookings, maintenance windows and the
device's status rule devices out, and each ruled-out device is reported as a clash.

Scores: a node's device scores 1.0 (``balanced`` lowers it by how busy the device is in the
fortnight around the window); an edge scores 1.0 for a direct link, 0.2 less per extra hop
(through free devices, at most ``MAX_HOPS``), 0.3 with no path. A candidate scores
0.7 × mean node score + 0.3 × mean edge score. Strategies: ``greedy`` (best next device),
``balanced`` (spread the load), ``fewest_hops`` (shortest paths first).
"""
from collections import defaultdict, deque
from datetime import datetime, timedelta

from core.errors import RuleViolation
from inventory.models import DeviceType

from .models import Booking, Device, DeviceLink, LinkEnd, MaintenanceWindow

STRATEGIES = ("greedy", "balanced", "fewest_hops")
MAX_HOPS = 4
MAX_NODES = 12
NO_PATH = 0.3


def edge_score(hops: int | None) -> float:
    """1.0 for a direct link, 0.2 less for each extra hop, 0.3 without a path."""
    return NO_PATH if hops is None else max(0.4, 1.0 - 0.2 * (hops - 1))


def _check_spec(spec: dict) -> tuple[list[dict], list[dict]]:
    nodes, edges = spec.get("nodes") or [], spec.get("edges") or []
    if not isinstance(nodes, list) or not nodes or len(nodes) > MAX_NODES:
        raise RuleViolation(f"Give between 1 and {MAX_NODES} nodes.", fields={"nodes": ["1 to 12 nodes"]})
    ids = [str(n.get("id", "")) if isinstance(n, dict) else "" for n in nodes]
    if "" in ids or len(set(ids)) != len(ids):
        raise RuleViolation("Every node needs its own id.", fields={"nodes": ["missing or repeated id"]})
    if not isinstance(edges, list):
        raise RuleViolation("Edges are a list.", fields={"edges": ["not a list"]})
    for edge in edges:
        if not isinstance(edge, dict) or str(edge.get("from")) not in ids or str(edge.get("to")) not in ids \
                or edge.get("from") == edge.get("to"):
            raise RuleViolation(f"Edge {edge} must join two different nodes by their ids.",
                                fields={"edges": ["unknown node"]})
        bad = set(edge.get("link_types") or []) - set(DeviceLink.LinkType.values)
        if bad:
            raise RuleViolation(f"Unknown link type(s) {', '.join(sorted(bad))}; use "
                                f"{', '.join(DeviceLink.LinkType.values)}.", fields={"edges": ["unknown link type"]})
    return nodes, edges


def _types(nodes) -> dict[str, int]:
    wanted = {str(n["id"]): n.get("type") for n in nodes}
    by_name = dict(DeviceType.objects.filter(name__in=[t for t in wanted.values() if isinstance(t, str)])
                   .values_list("name", "pk"))
    known_ids = set(DeviceType.objects.filter(pk__in=[t for t in wanted.values() if isinstance(t, int)])
                    .values_list("pk", flat=True))
    found = {}
    for node, kind in wanted.items():
        pk = by_name.get(kind) if isinstance(kind, str) else (kind if kind in known_ids else None)
        if pk is None:
            raise RuleViolation(f"Node {node}: there is no device type {kind!r}.", fields={"nodes": ["unknown type"]})
        found[node] = pk
    return found


def blocked_devices(start: datetime, end: datetime) -> dict[int, dict]:
    """Why each device is unavailable over ``[start, end)``: an active booking, maintenance or its status."""
    blocked: dict[int, dict] = {}
    for pk, status in Device.objects.exclude(status=Device.Status.AVAILABLE).values_list("pk", "status"):
        blocked[pk] = {"reason": "device_status", "status": status}
    for w in MaintenanceWindow.objects.filter(start__lt=end, end__gt=start).values("device_id", "start", "end"):
        blocked.setdefault(w["device_id"], {"reason": "maintenance", "start": w["start"], "end": w["end"]})
    bookings = (Booking.objects.filter(status__in=Booking.ACTIVE, start__lt=end, end__gt=start)
                .values("device_id", "id", "status", "start", "end"))
    for b in bookings:
        blocked.setdefault(b["device_id"], {"reason": "booking", "booking": b["id"], "status": b["status"],
                                            "start": b["start"], "end": b["end"]})
    return blocked


def link_graph() -> dict[int, list[tuple[int, str]]]:
    """Every device's neighbours over one link, with the link type."""
    ends = defaultdict(list)
    for link_id, device_id, kind in LinkEnd.objects.values_list("link_id", "device_id", "link__link_type"):
        ends[link_id].append((device_id, kind))
    graph = defaultdict(list)
    for pair in ends.values():
        if len(pair) == 2:
            (a, kind), (b, _) = pair
            graph[a].append((b, kind))
            graph[b].append((a, kind))
    return graph


def _usage(device_ids, start, end) -> dict[int, float]:
    """Share of the fortnight around the window each device is held by active bookings."""
    lo, hi = start - timedelta(days=7), end + timedelta(days=7)
    span = (hi - lo).total_seconds()
    held = defaultdict(float)
    rows = Booking.objects.filter(device_id__in=device_ids, status__in=Booking.ACTIVE, start__lt=hi, end__gt=lo)
    for device_id, s, e in rows.values_list("device_id", "start", "end"):
        held[device_id] += (min(e, hi) - max(s, lo)).total_seconds()
    return {pk: min(1.0, seconds / span) for pk, seconds in held.items()}


class _Paths:
    """Shortest paths from a device through free devices over allowed link types, cached per source."""

    def __init__(self, graph, blocked):
        self.graph, self.blocked, self.cache = graph, blocked, {}

    def from_device(self, source: int, kinds: frozenset) -> dict[int, list[int]]:
        key = (source, kinds)
        if key not in self.cache:
            parents, queue, depth = {source: None}, deque([source]), {source: 0}
            while queue:
                here = queue.popleft()
                if depth[here] >= MAX_HOPS or (here != source and here in self.blocked):
                    continue
                for there, kind in self.graph.get(here, ()):
                    if there not in parents and (not kinds or kind in kinds):
                        parents[there], depth[there] = here, depth[here] + 1
                        queue.append(there)
            self.cache[key] = parents
        return self.cache[key]

    def path(self, a: int, b: int, kinds: frozenset) -> list[int] | None:
        parents = self.from_device(a, kinds)
        if b not in parents:
            return None
        route = [b]
        while route[-1] != a:
            route.append(parents[route[-1]])
        return route[::-1]


def resolve(spec: dict, start: datetime, end: datetime, *, strategy: str = "greedy", limit: int = 5) -> dict:
    """Candidates (best first) of free devices for the topology over ``[start, end)``, and the clashes."""
    if strategy not in STRATEGIES:
        raise RuleViolation(f"Strategy is one of {', '.join(STRATEGIES)}.", fields={"strategy": ["unknown"]})
    if end <= start:
        raise RuleViolation("The end must be after the start.", fields={"end": ["before start"]})
    nodes, edges = _check_spec(spec)
    types = _types(nodes)
    devices = list(Device.objects.filter(device_type_id__in=set(types.values())).values_list("pk", "name",
                                                                                               "device_type_id"))
    names = {pk: name for pk, name, _ in devices}
    blocked = blocked_devices(start, end)
    candidates = {node: [pk for pk, _, t in devices if t == kind and pk not in blocked] for node, kind in types.items()}
    clashes = [{"node": node, "device": pk, "device_name": names[pk], **blocked[pk]}
               for node, kind in types.items() for pk, _, t in devices if t == kind and pk in blocked]
    usage = _usage([pk for pk, _, _ in devices], start, end) if strategy == "balanced" else {}
    node_score = {pk: 1.0 - 0.5 * usage.get(pk, 0.0) for pk, _, _ in devices}
    paths = _Paths(link_graph(), blocked)
    kinds = {(str(e["from"]), str(e["to"])): frozenset(e.get("link_types") or []) for e in edges}
    order = sorted(candidates, key=lambda n: (len(candidates[n]), n))

    def edge_hops(assigned, node, device):
        found = []
        for (a, b), allowed in kinds.items():
            other = b if a == node else a if b == node else None
            if other is None or other not in assigned:
                continue
            route = paths.path(device, assigned[other], allowed)
            found.append(None if route is None else len(route) - 1)
        return found

    def fit(assigned, node, device):
        hops = edge_hops(assigned, node, device)
        if strategy == "fewest_hops":
            return (-sum(MAX_HOPS + 1 if h is None else h for h in hops), node_score[device])
        return (node_score[device] + sum(edge_score(h) for h in hops), -device)

    results, seen = [], set()
    first = order[0]
    seeds = sorted(candidates[first], key=lambda pk: -node_score[pk])[:max(limit * 4, 8)]
    for seed in seeds:
        assigned = {first: seed}
        for node in order[1:]:
            free = [d for d in candidates[node] if d not in assigned.values()]
            if not free:
                break
            assigned[node] = max(free, key=lambda d: fit(assigned, node, d))
        if len(assigned) < len(order):
            continue
        key = frozenset(assigned.items())
        if key not in seen:
            seen.add(key)
            results.append(_describe(assigned, kinds, paths, node_score, names))
    if strategy == "fewest_hops":
        results.sort(key=lambda c: (c["hops"], -c["score"]))
    else:
        results.sort(key=lambda c: -c["score"])
    return {"strategy": strategy, "candidates": results[:limit], "clashes": clashes,
            "unfilled": [n for n in order if not candidates[n]]}


def _describe(assigned, kinds, paths, node_score, names) -> dict:
    edges, extra, hops_total = [], set(), 0
    for (a, b), allowed in kinds.items():
        route = paths.path(assigned[a], assigned[b], allowed)
        hops = None if route is None else len(route) - 1
        hops_total += MAX_HOPS + 1 if hops is None else hops
        if route:
            extra.update(route[1:-1])
        edges.append({"from": a, "to": b, "hops": hops, "path": route, "score": edge_score(hops)})
    node_part = sum(node_score[d] for d in assigned.values()) / len(assigned)
    edge_part = sum(e["score"] for e in edges) / len(edges) if edges else 1.0
    chosen = set(assigned.values())
    return {
        "score": round(0.7 * node_part + 0.3 * edge_part, 4),
        "hops": hops_total,
        "nodes": {n: {"device": d, "device_name": names.get(d), "score": round(node_score[d], 4)}
                  for n, d in assigned.items()},
        "edges": edges,
        "through": sorted(extra - chosen),
        "devices": sorted(chosen | extra),
    }
