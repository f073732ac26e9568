// Taizhang: keyboard shortcuts and the global request indicator. No inline scripts (CSP).
(function () {
  "use strict";

  // Single-key shortcuts named by data-key on links and inputs: "/" search, "n" new, "e" edit,
  // arrow keys for pages. Ignored while typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var target = document.querySelector('[data-key="' + CSS.escape(event.key) + '"]');
    if (!target) return;
    event.preventDefault();
    if (tag !== "input" && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) {
      target.focus();
      target.select && target.select();
    } else {
      target.click();
    }
  });

  // Show the top progress bar for every htmx request, wherever it starts.
  document.addEventListener("htmx:beforeRequest", function () {
    document.getElementById("progress").classList.add("htmx-request");
  });
  document.addEventListener("htmx:afterRequest", function () {
    document.getElementById("progress").classList.remove("htmx-request");
  });
})();

// A failed htmx request (5xx, or no answer) would otherwise change nothing on screen: say so.
(function () {
  "use strict";
  function showAlert(message) {
    var alerts = document.getElementById("alerts");
    if (!alerts || !message) return;
    var box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible fade show";
    box.setAttribute("role", "alert");
    box.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    box.appendChild(close);
    alerts.replaceChildren(box);
  }
  document.addEventListener("htmx:responseError", function () {
    showAlert(document.body.dataset.errorMessage);
  });
  document.addEventListener("htmx:sendError", function () {
    showAlert(document.body.dataset.offlineMessage);
  });
})();

// A submit button that needs a confirmation names it in data-confirm (htmx's hx-confirm is
// read from the form, not from the button that was pressed).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
