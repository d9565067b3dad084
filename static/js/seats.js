// Live seat counts on the programme pages: "12 seats free" or "Full, 3 in line" on each seminar.
// The programme itself is cached HTML; the counts come with every page as JSON (#seat-status).
(function () {
  "use strict";
  var data = document.getElementById("seat-status");
  var labels = document.getElementById("seat-labels");
  if (!data || !labels) { return; }
  var seats = JSON.parse(data.textContent);
  var text = JSON.parse(labels.textContent);
  document.querySelectorAll("[data-seminar]").forEach(function (element) {
    var status = seats[element.getAttribute("data-seminar")];
    if (!status) { return; }  // cancelled seminars have no seats to show
    var badge = document.createElement("span");
    var label;
    if (status.free > 0) {
      label = status.free === 1 ? text.free_one : text.free_other.replace("%(n)s", status.free);
      badge.className = "seat-badge";
    } else {
      label = status.waiting > 0 ? text.full_line.replace("%(n)s", status.waiting) : text.full;
      badge.className = "seat-badge is-full";
    }
    badge.textContent = label;
    var meta = element.querySelector(".meta");
    (meta || element).appendChild(document.createTextNode(" "));
    (meta || element).appendChild(badge);
  });
}());
