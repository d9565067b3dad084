// Registration forms: show only the organisation fields of the chosen type (progressive: without
// JavaScript every group shows with a legend saying which type it is for, and the server refuses
// contradictory input). A hidden group is also disabled, so what it holds is not sent.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-org-form]").forEach(function (form) {
    var radios = form.querySelectorAll("input[name=organisation_type]");
    var groups = form.querySelectorAll("[data-org-for]");
    function show() {
      var checked = form.querySelector("input[name=organisation_type]:checked");
      var kind = checked ? checked.value : "";
      groups.forEach(function (group) {
        var on = group.getAttribute("data-org-for").split(" ").indexOf(kind) !== -1;
        group.hidden = !on;
        group.disabled = !on;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  });
});
