// The picker of customers, contracts and users (_macros/picker.html): an ARIA combobox whose
// options the server finds as one types (htmx). ArrowDown/ArrowUp move, Enter chooses, Escape
// closes, Tab leaves. The choice goes into the hidden input, which takes the field's name from the
// text input: without this script the text input itself is the field (the number is typed there).
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.pickerReady) return;
    box.dataset.pickerReady = "1";
    var input = box.querySelector("[data-picker-input]");
    var hidden = box.querySelector("[data-picker-value]");
    var list = box.querySelector("[role=listbox]");
    var free = box.hasAttribute("data-picker-free");
    var chosenLabel = input.value;
    var active = -1;
    var timer = null;
    var asked = 0;

    hidden.name = input.name;
    hidden.disabled = false;
    input.removeAttribute("name");

    function choices() {
      return Array.prototype.slice.call(
        list.querySelectorAll('[role=option]:not([aria-disabled="true"])'));
    }

    function highlight(index) {
      var items = choices();
      active = index;
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) highlight(-1);
    }

    function search() {
      var ticket = ++asked;
      var typed = input.value === chosenLabel ? "" : input.value;
      htmx.ajax("GET", box.dataset.pickerUrl, {
        source: input, target: list, swap: "innerHTML", values: {q: typed}
      }).then(function () {
        if (ticket !== asked || document.activeElement !== input) return;
        show(list.children.length > 0);
        highlight(-1);
      });
    }

    function choose(item) {
      hidden.value = item.dataset.value;
      input.value = chosenLabel = item.dataset.label;
      show(false);
      input.classList.remove("is-invalid");
      hidden.dispatchEvent(new Event("change", {bubbles: true}));
    }

    input.addEventListener("input", function () {
      // Typing undoes a choice; a field that takes new names keeps what is typed.
      hidden.value = free ? input.value : "";
      chosenLabel = null;
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });

    input.addEventListener("keydown", function (event) {
      var items = choices();
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          search();
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active < 0 && step < 0 ? items.length - 1 : active + step;
        highlight(Math.max(0, Math.min(items.length - 1, next)));
      } else if (event.key === "Enter" && open) {
        event.preventDefault();  // choosing never submits the form
        var item = items[active] || (items.length === 1 ? items[0] : null);
        if (item) choose(item);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        show(false);
      } else if (event.key === "Tab") {
        show(false);
      }
    });

    // Pressing an option keeps the focus in the input; releasing it chooses.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest('[role=option]:not([aria-disabled="true"])');
      if (item) choose(item);
    });
    input.addEventListener("blur", function () {
      show(false);
    });
  }

  function setUpAll(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-picker]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
    // Forms swapped in by htmx (the contract form's rows) bring their pickers anew.
    htmx.onLoad(setUpAll);
  });
})();
