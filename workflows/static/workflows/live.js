// Workflows pages: apply live events (from core/live.js's benchtop:event) to the rows on the page.
(function () {
  "use strict";
  var feed = null;

  function when(value) {
    if (!value) { return "—"; }
    var options = { weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
                    minute: "2-digit", hour12: false };
    if (feed && feed.dataset.zone) { options.timeZone = feed.dataset.zone; }
    var parts = {};
    new Intl.DateTimeFormat("en-GB", options).formatToParts(new Date(value)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts.weekday + " " + parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  function setField(row, name, value) {
    row.querySelectorAll("[data-field='" + name + "']").forEach(function (cell) {
      if (cell.tagName === "PROGRESS") { cell.value = value; } else { cell.textContent = value; }
    });
  }

  function timelineRow(run) {
    var body = document.querySelector("#timeline tbody");
    if (!body) { return null; }
    var row = document.createElement("tr");
    row.dataset.run = run.id;
    row.innerHTML = "<td><a></a></td><td class='origin'></td><td data-field='state'></td>" +
      "<td><progress max='100' data-field='progress'></progress></td><td data-field='started_at'></td>" +
      "<td data-field='ended_at'></td>";
    var link = row.querySelector("a");
    link.textContent = run.title + (run.source === "workflows" ? " #" + run.id : "");
    link.href = run.source === "workflows" ? "/workflows/runs/" + run.id + "/" : (run.link || "#");
    row.querySelector(".origin").textContent = run.source + " · " + run.origin;
    var empty = body.querySelector("tr.empty");
    if (empty) { empty.remove(); }
    body.insertBefore(row, body.firstChild);
    return row;
  }

  function onRun(run) {
    var rows = document.querySelectorAll("[data-run='" + run.id + "']");
    if (!rows.length) {
      var row = timelineRow(run);
      rows = row ? [row] : [];
    }
    rows.forEach(function (row) {
      row.dataset.state = run.state;
      setField(row, "state", run.state);
      setField(row, "progress", run.progress);
      setField(row, "started_at", when(run.started_at));
      setField(row, "ended_at", when(run.ended_at));
      setField(row, "error", run.error || "");
    });
  }

  function onTask(task) {
    var row = document.querySelector("[data-task='" + task.id + "']");
    if (!row) { return; }
    row.dataset.state = task.state;
    setField(row, "state", task.state);
    setField(row, "progress", task.progress);
    if (task.agent_name !== undefined) { setField(row, "agent", task.agent_name || "—"); }
    var attempts = row.querySelector("[data-field='attempts']");
    if (attempts) { attempts.textContent = task.attempts + attempts.textContent.replace(/^\d+/, ""); }
  }

  function onLog(batch) {
    var tail = document.getElementById("log-tail");
    if (!tail) { return; }
    var name = "";
    var row = document.querySelector("[data-task='" + batch.task + "'] td:nth-child(2)");
    if (row) { name = "[" + row.textContent + "] "; }
    batch.lines.forEach(function (line) {
      var span = document.createElement("span");
      span.className = "line " + line.level;
      span.textContent = name + line.message + "\n";
      tail.appendChild(span);
    });
    while (tail.children.length > 500) { tail.removeChild(tail.firstChild); }
    tail.scrollTop = tail.scrollHeight;
  }

  function onComment(comment) {
    var list = document.getElementById("comments");
    if (!list || list.querySelector("[data-comment='" + comment.id + "']")) { return; }
    var item = document.createElement("li");
    item.dataset.comment = comment.id;
    item.innerHTML = "<strong></strong> <span></span>";
    item.querySelector("strong").textContent = comment.by + (comment.agent ? " (agent)" : "");
    item.querySelector("span").textContent = comment.body;
    list.appendChild(item);
  }

  function onAgent(agent) {
    var row = document.querySelector("[data-agent='" + agent.id + "']");
    if (!row) {
      var body = document.querySelector("#agents tbody");
      if (!body) { return; }
      row = document.createElement("tr");
      row.dataset.agent = agent.id;
      row.innerHTML = "<td class='name'></td><td data-field='status'></td><td class='caps'></td>" +
        "<td data-field='last_seen_at'></td><td data-field='counts'></td><td data-field='success_rate'></td><td></td>";
      row.querySelector(".name").textContent = agent.name;
      row.querySelector(".caps").textContent = agent.capabilities.join(", ");
      var empty = body.querySelector("tr.empty");
      if (empty) { empty.remove(); }
      body.appendChild(row);
    }
    row.dataset.status = agent.status;
    setField(row, "status", agent.status);
    setField(row, "last_seen_at", agent.last_seen_at ? when(agent.last_seen_at) : "never");
    setField(row, "counts", agent.successes + " / " + agent.failures);
    setField(row, "success_rate", agent.success_rate === null ? "—" : Math.round(agent.success_rate * 100) + "%");
  }

  function decisionForm(suggestion, verb, label, note) {
    var form = document.createElement("form");
    form.method = "post";
    form.className = "inline";
    form.action = "/workflows/suggestions/" + suggestion.id + "/" + verb + "/";
    var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    form.innerHTML = "<input type='hidden' name='csrfmiddlewaretoken'><input name='note'> <button type='submit'></button>";
    form.querySelector("[type=hidden]").value = csrf;
    form.querySelector("[name=note]").placeholder = note;
    form.querySelector("[name=note]").setAttribute("aria-label", verb === "approve" ? "Note" : "Reason");
    form.querySelector("button").textContent = label;
    if (verb === "reject") { form.querySelector("button").className = "secondary"; }
    return form;
  }

  function newSuggestion(suggestion) {
    var list = document.getElementById("pending");
    if (!list || suggestion.state !== "pending") { return null; }
    var item = document.createElement("li");
    item.dataset.suggestion = suggestion.id;
    item.innerHTML = "<strong></strong> from <span class='agent'></span> · confidence <span class='confidence'></span>" +
      "<p class='reasoning'></p><span data-field='state'></span> ";
    item.querySelector("strong").textContent = suggestion.action;
    item.querySelector(".agent").textContent = suggestion.agent_name;
    item.querySelector(".confidence").textContent = Math.round(suggestion.confidence * 100) + "%";
    item.querySelector(".reasoning").textContent = suggestion.reasoning || "";
    if (list.dataset.canDecide) {
      item.appendChild(decisionForm(suggestion, "approve", "Approve", "Note (optional)"));
      item.appendChild(decisionForm(suggestion, "reject", "Reject", "Why not (optional)"));
    }
    var empty = list.querySelector("li.empty");
    if (empty) { empty.remove(); }
    list.insertBefore(item, list.firstChild);
    return item;
  }

  function onSuggestion(suggestion) {
    var item = document.querySelector("[data-suggestion='" + suggestion.id + "']") || newSuggestion(suggestion);
    if (!item) { return; }
    item.dataset.state = suggestion.state;
    setField(item, "state", suggestion.state);
    if (suggestion.state !== "pending") {
      item.querySelectorAll("form").forEach(function (form) { form.remove(); });
    }
  }

  var HANDLERS = { "run.changed": onRun, "task.changed": onTask, "task.log": onLog, "run.comment": onComment,
                   "agent.changed": onAgent, "suggestion.changed": onSuggestion };

  document.addEventListener("DOMContentLoaded", function () { feed = document.getElementById("workflow-feed"); });
  document.addEventListener("benchtop:event", function (message) {
    var handler = HANDLERS[message.detail.type];
    if (handler) { handler(message.detail.data); }
  });
})();
