// The application form shows only the documents on the chosen program's checklist; a
// document hidden by a change of program is unticked. The documents' fieldset names the
// program field (data-program-field), each row its programs (data-programs, ids by spaces).
(function () {
  var documents = document.getElementById("documents");
  var program = documents && document.getElementById(documents.dataset.programField);
  if (!program) return;
  function update() {
    documents.querySelectorAll("[data-programs]").forEach(function (row) {
      var shown = program.value !== "" && row.dataset.programs.split(" ").indexOf(program.value) >= 0;
      row.hidden = !shown;
      if (!shown) {
        row.querySelector("input").checked = false;
      }
    });
  }
  program.addEventListener("change", update);
  update();
})();
