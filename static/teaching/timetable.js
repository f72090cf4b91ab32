// The timetable preview: drag a lesson to another half day of the week view; the lesson's
// row in the list below takes the new date and half day (the list is what is saved).
(function () {
  "use strict";
  function rowFields(row) {
    var tr = document.getElementById("lesson-row-" + row);
    if (!tr) return null;
    return { date: tr.querySelector("input[name$='-date']"), session: tr.querySelector("select[name$='-session']") };
  }
  function init() {
    var form = document.getElementById("timetable-form");
    if (!form) return;
    var dragged = null;
    form.querySelectorAll(".chip[draggable='true']").forEach(function (chip) {
      chip.addEventListener("dragstart", function (event) {
        dragged = chip;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", chip.dataset.row);
      });
    });
    form.querySelectorAll("td.slot").forEach(function (cell) {
      cell.addEventListener("dragover", function (event) {
        event.preventDefault();
        cell.classList.add("target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("target"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("target");
        var row = dragged ? dragged.dataset.row : event.dataTransfer.getData("text/plain");
        var chip = dragged || form.querySelector(".chip[data-row='" + row + "']");
        var fields = rowFields(row);
        if (!chip || !fields) return;
        fields.date.value = cell.dataset.date;
        fields.session.value = cell.dataset.session;
        cell.appendChild(chip);
        chip.classList.add("moved");
        dragged = null;
      });
    });
    // A row changed by hand: mark its chip, which stays where it was until the preview is
    // shown again.
    form.querySelectorAll("tr[data-row] input, tr[data-row] select").forEach(function (input) {
      input.addEventListener("change", function () {
        var chip = form.querySelector(".chip[data-row='" + input.closest("tr").dataset.row + "']");
        if (chip) chip.classList.add("moved");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
