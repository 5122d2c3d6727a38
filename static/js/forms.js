// Small helpers for every form; no inline scripts (a Content-Security-Policy comes later).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";

  // A browser's date field follows the browser's own language, and an office computer set
  // up in English shows 08/05/2026 for 5 August. Under each date field, say the chosen day
  // in words in the page's language: "Rabu, 5 Agustus 2026".
  var words;
  try {
    words = new Intl.DateTimeFormat(lang, {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    });
  } catch (error) {
    words = null;
  }
  function echo(input, note) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value || "");
    note.textContent = match && words
      ? words.format(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])))
      : "";
  }
  document.querySelectorAll("input[type=date]").forEach(function (input) {
    var note = document.createElement("div");
    note.className = "form-text date-echo";
    note.setAttribute("aria-live", "polite");
    note.dataset.testid = "date-echo";
    var anchor = input.parentElement && input.parentElement.classList.contains("input-group")
      ? input.parentElement : input;
    // After the field's error message, if it has one.
    while (anchor.nextElementSibling &&
           anchor.nextElementSibling.classList.contains("invalid-feedback")) {
      anchor = anchor.nextElementSibling;
    }
    anchor.insertAdjacentElement("afterend", note);
    input.addEventListener("input", function () { echo(input, note); });
    input.addEventListener("change", function () { echo(input, note); });
    echo(input, note);
  });

  // A "Cancel" link written after a form goes next to the form's own submit button.
  document.querySelectorAll("a[data-form-cancel]").forEach(function (link) {
    var form = link.parentElement && link.parentElement.querySelector("form");
    var submit = form && form.querySelector("[type=submit]");
    if (submit) {
      submit.insertAdjacentElement("afterend", link);
      link.classList.add("ms-2");
    }
  });

  // A tick box with data-tick-all="name" ticks (or unticks) every box of that name in its
  // form: the lists where staff act on many students at once.
  document.querySelectorAll("input[data-tick-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var form = all.form || document;
      form.querySelectorAll('input[type=checkbox][name="' + all.dataset.tickAll + '"]')
        .forEach(function (box) { box.checked = all.checked; });
    });
  });

  // A form with data-confirm asks before it is sent (removing a coordinator, a period…).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
