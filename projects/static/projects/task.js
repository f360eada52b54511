// The task page: a linked booking's status changes live (the scheduler publishes booking
// events on device:<id>, which the page follows through live.js).
(function () {
  "use strict";
  document.addEventListener("benchtop:event", function (e) {
    var data = e.detail.data || {};
    if (!data.id || !e.detail.type || e.detail.type.indexOf("booking.") !== 0) { return; }
    document.querySelectorAll('[data-booking="' + data.id + '"] .booking-status').forEach(function (el) {
      el.textContent = data.status;
    });
  });
})();
