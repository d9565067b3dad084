// After an action the page says what happened: move keyboard and screen-reader focus there.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
  }
});
