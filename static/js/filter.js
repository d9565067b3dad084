// A filter box for long lists (progressive: without JavaScript the box stays hidden and the A–Ö jumps work).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-filter-box]").forEach(function (box) {
    var input = box.querySelector("input[data-filter-for]");
    var list = document.getElementById(input.getAttribute("data-filter-for"));
    if (!list) { return; }
    box.hidden = false;
    input.addEventListener("input", function () {
      var query = input.value.trim().toLocaleLowerCase("sv");
      list.querySelectorAll("[data-filter-item]").forEach(function (item) {
        item.hidden = query !== "" && item.textContent.toLocaleLowerCase("sv").indexOf(query) === -1;
      });
      list.querySelectorAll(".letter-heading").forEach(function (heading) {
        var items = heading.nextElementSibling.querySelectorAll("[data-filter-item]");
        heading.hidden = Array.prototype.every.call(items, function (item) { return item.hidden; });
      });
    });
  });
});
