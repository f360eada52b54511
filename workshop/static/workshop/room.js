// Room page: live device states and readings from the room's topic, and small 24-hour charts.
(function () {
  "use strict";

  function text(node, value) { if (node) { node.textContent = value; } }

  document.addEventListener("benchtop:event", function (e) {
    var event = e.detail, data = event.data || {};
    if (event.type !== "room.reading") { return; }
    var row = document.querySelector("tr[data-device='" + data.device + "']");
    if (!row) { return; }
    var state = !data.online ? "offline" : (data.power === null ? "–" : (data.power ? "on" : "off"));
    if (data.level !== null && data.level !== undefined) { state += " · " + data.level + "%"; }
    text(row.querySelector(".state"), state);
    var readings = row.querySelector(".readings");
    readings.textContent = "";
    Object.keys(data.values || {}).forEach(function (key) {
      var span = document.createElement("span");
      span.dataset.reading = key;
      span.textContent = key + " " + data.values[key] + " ";
      readings.appendChild(span);
    });
  });

  function chart(name, points) {
    var width = 320, height = 60, values = points.map(function (p) { return p[1]; });
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values), span = (high - low) || 1;
    var path = points.map(function (p, i) {
      var x = points.length > 1 ? (i / (points.length - 1)) * width : 0;
      return (i ? "L" : "M") + x.toFixed(1) + " " + (height - ((p[1] - low) / span) * height).toFixed(1);
    }).join(" ");
    var figure = document.createElement("figure");
    figure.innerHTML = "<figcaption></figcaption><svg viewBox='0 0 " + width + " " + height +
      "' width='100%' height='" + height + "' role='img'><path fill='none' stroke='currentColor' stroke-width='1.5'/></svg>";
    figure.querySelector("figcaption").textContent = name + ": " + low + " – " + high;
    figure.querySelector("path").setAttribute("d", path);
    return figure;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("room-series"), box = document.getElementById("room-charts");
    if (!source || !box) { return; }
    var series = JSON.parse(source.textContent);
    var names = Object.keys(series);
    if (!names.length) { box.textContent = "No readings in the last 24 hours."; return; }
    names.forEach(function (name) { box.appendChild(chart(name, series[name])); });
  });
})();
