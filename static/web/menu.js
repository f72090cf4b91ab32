// The staff menu (templates/base_staff.html): its groups are <details> that open on a click
// or a tap with no script at all; this only closes the other groups when one opens and all
// of them on a click elsewhere or Escape, and shows or hides the whole menu on a phone.
(function () {
  function dropdowns() {
    return document.querySelectorAll("details.dropdown");
  }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details.dropdown") || !opened.open) return;
    dropdowns().forEach(function (other) {
      if (other !== opened) other.open = false;
    });
  }, true);
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".nav-toggle");
    if (toggle) {
      var header = toggle.closest(".site-header");
      var open = header.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (!(event.target.closest && event.target.closest("details.dropdown"))) {
      dropdowns().forEach(function (details) { details.open = false; });
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") dropdowns().forEach(function (details) { details.open = false; });
  });
})();
