// Machine page: live state, readings, job progress and a temperature chart drawn on a canvas.
(function () {
  "use strict";
  var points = [];
  var MAX_POINTS = 300;

  function draw() {
    var canvas = document.getElementById("chart");
    if (!canvas || !canvas.getContext) { return; }
    var ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    var values = [];
    points.forEach(function (p) { if (p.hotend != null) { values.push(p.hotend); } if (p.bed != null) { values.push(p.bed); } });
    var top = Math.max(50, Math.max.apply(null, values.concat([0])) * 1.1);
    ctx.strokeStyle = "#ccc"; ctx.fillStyle = "#666"; ctx.font = "10px sans-serif";
    for (var t = 0; t <= top; t += 50) {
      var y = h - (t / top) * h;
      ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke(); ctx.fillText(t + "°", 2, y - 2);
    }
    [["hotend", "#d9480f"], ["bed", "#1c7ed6"]].forEach(function (series) {
      ctx.strokeStyle = series[1]; ctx.lineWidth = 2; ctx.beginPath();
      var started = false;
      points.forEach(function (p, i) {
        var v = p[series[0]];
        if (v == null) { return; }
        var x = points.length < 2 ? 0 : (i / (points.length - 1)) * w, y = h - (v / top) * h;
        if (started) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); started = true; }
      });
      ctx.stroke();
      ctx.fillStyle = series[1]; ctx.fillText(series[0], w - 50, series[0] === "hotend" ? 12 : 24);
    });
  }

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && value !== undefined && value !== null) { el.textContent = value; }
  }

  function reading(data) {
    var hotend = data.hotend || {}, bed = data.bed || {};
    text("hotend-actual", hotend.actual); text("hotend-target", hotend.target);
    text("bed-actual", bed.actual); text("bed-target", bed.target);
    if (data.at) { text("last-seen", new Date(data.at).toLocaleTimeString()); }
    points.push({ hotend: hotend.actual, bed: bed.actual });
    if (points.length > MAX_POINTS) { points.shift(); }
    draw();
  }

  function job(data) {
    var row = document.querySelector('tr[data-job="' + data.job + '"]');
    if (!row) { return; }  // a job queued after the page was drawn appears on the next visit
    row.querySelector(".job-status").textContent = data.status;
    row.querySelector(".job-progress").textContent = data.progress;
    row.querySelector("progress").value = data.progress;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var initial = document.getElementById("chart-data");
    if (initial) { points = JSON.parse(initial.textContent); }
    draw();
  });

  document.addEventListener("benchtop:event", function (e) {
    var event = e.detail, data = event.data || {};
    if (event.type === "machine.telemetry") { reading(data); }
    else if (event.type === "machine.state") {
      var state = document.getElementById("machine-state");
      state.textContent = data.state; state.dataset.state = data.state;
    } else if (event.type === "job.progress" || event.type === "job.changed" || event.type === "job.queued") { job(data); }
  });
})();
