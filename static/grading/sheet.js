// Keyboard entry in a grade sheet: Enter or ArrowDown moves to the same column one row
// down, ArrowUp one row up; Tab moves across as usual. Each cell saves on change (HTMX).
(function () {
  function cellInput(row, index) {
    if (!row) return null;
    var inputs = row.querySelectorAll("input.grade");
    return inputs[index] || null;
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input.grade")) return;
    var down = event.key === "Enter" || event.key === "ArrowDown";
    var up = event.key === "ArrowUp";
    if (!down && !up) return;
    var row = input.closest("tr");
    var index = Array.prototype.indexOf.call(row.querySelectorAll("input.grade"), input);
    var next = cellInput(down ? row.nextElementSibling : row.previousElementSibling, index);
    event.preventDefault();
    if (next) { next.focus(); next.select(); } else { input.blur(); input.focus(); }
  });
})();
