// The kanban board: drag a card between or within columns (HTML5 drag and drop); the move is
// saved through the API's move endpoint (the move service), and moves made by others arrive
// over the live feed (live.js dispatches "benchtop:event") and are applied in place.
(function () {
  "use strict";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function cardsOf(list, except) {
    return Array.prototype.filter.call(list.querySelectorAll(".kanban-card"), function (card) {
      return card !== except;
    });
  }

  function start(board) {
    var projectId = board.dataset.project;
    var moveUrl = board.dataset.moveUrl;
    var columnsUrl = board.dataset.columnsUrl;
    var errorBox = document.getElementById("board-error");
    var dragged = null;

    function showError(text) {
      if (!errorBox) { return; }
      errorBox.textContent = text || "";
      errorBox.hidden = !text;
    }

    function recount() {
      board.querySelectorAll(".kanban-column").forEach(function (column) {
        var badge = column.querySelector("h2 .badge");
        if (badge) { badge.textContent = column.querySelectorAll(".kanban-card").length; }
      });
    }

    // Put ``card`` at ``index`` among the other cards of ``list`` (a no-op when it is there already).
    function place(card, list, index) {
      var others = cardsOf(list, card);
      list.insertBefore(card, others[index] || null);
      recount();
    }

    // Where a drop at height ``y`` lands: the number of other cards whose middle is above it.
    function dropIndex(list, y) {
      var others = cardsOf(list, dragged);
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (y < box.top + box.height / 2) { return i; }
      }
      return others.length;
    }

    function refresh() {
      return fetch(columnsUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) { board.innerHTML = html; })
        .catch(function () { showError("Could not reload the board; reload the page."); });
    }

    function save(taskId, status, position) {
      board.dataset.saving = String(parseInt(board.dataset.saving || "0", 10) + 1);
      return fetch(moveUrl + taskId + "/move/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        body: JSON.stringify({ status: status, position: position }),
      }).then(function (response) {
        if (response.ok) { showError(""); return null; }
        return response.json().then(function (body) {
          showError(body.detail || "The move was refused.");
          return refresh();
        });
      }).catch(function () {
        showError("Could not save the move; the board was reloaded.");
        return refresh();
      }).then(function () {
        board.dataset.saving = String(parseInt(board.dataset.saving, 10) - 1);
      });
    }

    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".kanban-card");
      if (!card) { return; }
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.task);
    });

    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      dragged = null;
    });

    board.addEventListener("dragover", function (event) {
      if (dragged && event.target.closest && event.target.closest(".kanban-column")) { event.preventDefault(); }
    });

    board.addEventListener("drop", function (event) {
      var column = event.target.closest && event.target.closest(".kanban-column");
      if (!column || !dragged) { return; }
      event.preventDefault();
      var list = column.querySelector(".kanban-cards");
      var index = dropIndex(list, event.clientY);
      var card = dragged;
      place(card, list, index);
      save(card.dataset.task, list.dataset.status, index);
    });

    document.addEventListener("benchtop:event", function (event) {
      var frame = event.detail;
      if (frame.topic !== "project:" + projectId || frame.type.indexOf("task.") !== 0) { return; }
      if (frame.type === "task.moved") {
        var card = document.getElementById("task-" + frame.data.task.id);
        var list = board.querySelector('.kanban-cards[data-status="' + frame.data.status + '"]');
        if (card && list) { place(card, list, frame.data.position); return; }
      }
      if (["task.created", "task.updated", "task.deleted", "task.moved"].indexOf(frame.type) >= 0) { refresh(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("board");
    if (board) { start(board); }
  });
})();
