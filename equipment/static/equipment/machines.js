// Machine list: state and job progress of each row follow the live events of the "equipment" topic.
(function () {
  "use strict";
  document.addEventListener("benchtop:event", function (e) {
    var event = e.detail, data = event.data || {};
    var row = document.querySelector('tr[data-machine="' + data.machine + '"]');
    if (!row) { return; }
    if (event.type === "machine.state") {
      var state = row.querySelector(".state");
      state.textContent = data.state;
      state.dataset.state = data.state;
    } else if (event.type === "job.progress" || event.type === "job.changed") {
      row.querySelector(".job").textContent = data.status === "running" || data.status === "paused"
        ? data.name + " · " + data.progress + "%" : "";
    }
  });
})();
