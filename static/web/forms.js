// Small behaviours of forms, kept out of the pages: the Content-Security-Policy lets no
// inline script or event handler (onchange=, onclick=) run.
//   <select data-submit-on-change>  submits its form when another option is chosen
//                                   (the language switch; a <noscript> button stands in);
//   <button data-confirm="…">       asks the question first and sends nothing on "Cancel".
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
