// Device page: outlet states follow outlet.switched and outlet.state_mismatch events live.
(function () {
  "use strict";
  document.addEventListener("benchtop:event", function (e) {
    var event = e.detail;
    if (!event.data || (event.type !== "outlet.switched" && event.type !== "outlet.state_mismatch")) { return; }
    var key = event.data.pdu + "-" + event.data.number;
    document.querySelectorAll("[data-outlet-state='" + key + "']").forEach(function (cell) {
      cell.textContent = event.data.state;
      cell.dataset.state = event.data.state;
    });
  });
})();
