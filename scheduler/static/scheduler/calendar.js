// Calendar page behaviour that is not htmx's: on a phone open the day view (one day at a time),
// and in the day view drag down a device's column over free hours to book all of them at once.
(function () {
  "use strict";
  var PHONE = 700;

  var params = new URLSearchParams(location.search);
  if (!params.has("view") && window.innerWidth < PHONE) {
    params.set("view", "day");
    location.replace(location.pathname + "?" + params.toString());
    return;
  }

  var drag = null;

  function cellsBetween(first, last) {
    var column = first.cellIndex, rows = first.closest("tbody").rows;
    var a = Math.min(first.parentNode.rowIndex, last.parentNode.rowIndex);
    var b = Math.max(first.parentNode.rowIndex, last.parentNode.rowIndex);
    var cells = [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row.rowIndex >= a && row.rowIndex <= b) { cells.push(row.cells[column]); }
    }
    return cells;
  }

  function mark(cells) {
    document.querySelectorAll("td.selecting").forEach(function (c) { c.classList.remove("selecting"); });
    cells.forEach(function (c) { c.classList.add("selecting"); });
  }

  document.addEventListener("mousedown", function (e) {
    var cell = e.target.closest("table.day td.free");
    if (cell) { drag = { first: cell, last: cell }; mark([cell]); }
  });
  document.addEventListener("mouseover", function (e) {
    if (!drag) { return; }
    var cell = e.target.closest("table.day td");
    if (cell && cell.cellIndex === drag.first.cellIndex) {
      var cells = cellsBetween(drag.first, cell);
      if (cells.every(function (c) { return c.classList.contains("free"); })) { drag.last = cell; mark(cells); }
    }
  });
  document.addEventListener("mouseup", function () {
    if (!drag) { return; }
    var cells = cellsBetween(drag.first, drag.last);
    drag = null;
    mark([]);
    if (cells.length < 2) { return; }  // a plain click: htmx opens the form for that hour
    var first = cells[0], last = cells[cells.length - 1];
    var end = new Date(last.dataset.start + ":00");
    end.setHours(end.getHours() + 1);
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var endText = end.getFullYear() + "-" + pad(end.getMonth() + 1) + "-" + pad(end.getDate()) + "T" +
      pad(end.getHours()) + ":" + pad(end.getMinutes());
    htmx.ajax("GET", "/scheduler/book/?device=" + first.dataset.device + "&start=" + first.dataset.start +
      "&end=" + endText, { target: "#booking-box" });
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target.id === "booking-box") { e.target.scrollIntoView({ block: "nearest" }); }
  });
})();
