/* Samordna: small progressive enhancements. No inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  /* Texts come from data-msg-* attributes on <body>, translated by the server. */
  function message(name, status) {
    var text = document.body.getAttribute("data-msg-" + name) || "";
    return text.replace("{status}", String(status || ""));
  }

  function failureText(status) {
    if (status === 0) { return message("network"); }
    if (status === 401 || status === 403 || status === 400) { return message(String(status)); }
    return message("error", status);
  }

  /* A request's own status cell: its target when that is one (data-save-status), else one
     inside the element that made the request (a form that replaces a larger region). */
  function statusCell(event) {
    var target = event.detail.target;
    if (target && target.hasAttribute && target.hasAttribute("data-save-status")) { return target; }
    var elt = event.detail.elt;
    return elt && elt.querySelector ? elt.querySelector("[data-save-status]") : null;
  }

  function show(cell, className, text) {
    var node = document.createElement(className === "error-text" ? "strong" : "span");
    node.className = className;
    node.textContent = text;
    cell.replaceChildren(node);
  }

  /* While a save is on its way its row says so: an earlier "Sparad" never stays on screen. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var cell = statusCell(event);
    if (cell) { show(cell, "muted", message("saving")); }
  });

  /* A failed htmx request is never silent: its row shows why; other requests use the
     message area at the top of the page. */
  function showFailure(event, text) {
    var cell = statusCell(event);
    if (cell) {
      show(cell, "error-text", text);
      return;
    }
    var region = document.getElementById("flash-messages");
    if (!region) { return; }
    var p = document.createElement("p");
    p.className = "flash flash--error";
    p.textContent = text;
    region.replaceChildren(p);
  }

  document.addEventListener("htmx:responseError", function (event) {
    showFailure(event, failureText(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function (event) {
    showFailure(event, failureText(0));
  });
  document.addEventListener("htmx:timeout", function (event) {
    showFailure(event, failureText(0));
  });

  /* After an htmx swap that reports errors, move focus to the first invalid field so
     keyboard and screen-reader users land where the problem is; after a swap of the whole
     <main>, to the new page's content. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.isConnected) {
      var main = document.getElementById("main");
      if (main) { main.focus(); }
      return;
    }
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid && target.contains(document.activeElement) === false) {
      invalid.focus();
    }
  });

  /* A page that comes back with form errors puts the focus on the first invalid field. */
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("main form [aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });

  /* Elements with data-confirm ask before their htmx request is sent (hx-confirm
     uses window.confirm too, but this keeps the text translatable in templates). */
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  /* Plain (non-htmx) forms and buttons with data-confirm ask too. */
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      (!event.target.hasAttribute("hx-post") && event.target.getAttribute("data-confirm"));
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
