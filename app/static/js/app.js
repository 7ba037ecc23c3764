/* Samordna: small progressive enhancements. No inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  /* After an htmx swap that reports errors, move focus to the first invalid field so
     keyboard and screen-reader users land where the problem is. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.detail.target.querySelector("[aria-invalid='true']");
    if (invalid && event.detail.target.contains(document.activeElement) === false) {
      invalid.focus();
    }
  });

  /* A failed htmx request must never be silent: show the server's message or a generic one. */
  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("flash-messages");
    if (!region) { return; }
    var status = event.detail.xhr.status;
    var message = document.documentElement.lang === "en"
      ? "The change could not be saved (error " + status + "). Reload the page and try again."
      : "Ändringen kunde inte sparas (fel " + status + "). Ladda om sidan och försök igen.";
    var p = document.createElement("p");
    p.className = "flash flash--error";
    p.textContent = message;
    region.replaceChildren(p);
  });

  /* Elements with data-confirm ask before their htmx request is sent (hx-confirm
     uses window.confirm too, but this keeps the text translatable in templates). */
  document.addEventListener("htmx:confirm", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  /* Links and buttons marked data-print open the print dialog. */
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (target) { event.preventDefault(); window.print(); }
  });
})();

/* Field error lists are updated out of band after a line is saved; keep each input's
   aria-invalid in step with its list so assistive technology reports the state. */
document.addEventListener("htmx:afterSettle", function () {
  document.querySelectorAll("[data-errors-for]").forEach(function (list) {
    var input = document.getElementById(list.getAttribute("data-errors-for"));
    if (input) { input.setAttribute("aria-invalid", list.children.length ? "true" : "false"); }
  });
});
