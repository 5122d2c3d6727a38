// Roster upload: drop a file on the box, and learn at once when it is too big or not a list.
(function () {
  "use strict";
  var drop = document.getElementById("roster-drop");
  var form = document.getElementById("roster-upload-form");
  if (!drop || !form) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var error = document.getElementById("roster-client-error");
  var submit = document.getElementById("roster-submit");

  // Our own "choose the file" button and file name, in the page's language, in place of
  // the browser's (the input stays in the form, hidden, and still takes dropped files).
  var picker = document.getElementById("roster-picker");
  var fileName = document.getElementById("roster-file-name");
  if (picker && fileName) {
    input.insertAdjacentElement("afterend", picker);
    input.classList.add("visually-hidden");
    picker.classList.remove("d-none");
    showName();
  }
  function showName() {
    if (!fileName) {
      return;
    }
    var file = input.files && input.files[0];
    fileName.textContent = file ? file.name : fileName.dataset.empty;
    fileName.classList.toggle("fw-semibold", Boolean(file));
  }

  function check() {
    showName();
    var file = input.files && input.files[0];
    var message = "";
    if (file) {
      var name = file.name.toLowerCase();
      if (!(name.endsWith(".xlsx") || name.endsWith(".csv"))) {
        message = input.dataset.wrongKind;
      } else if (file.size > Number(input.dataset.maxBytes)) {
        message = input.dataset.tooLarge;
      }
    }
    error.textContent = message;
    submit.disabled = Boolean(message);
    return !message;
  }

  input.addEventListener("change", check);
  ["dragenter", "dragover"].forEach(function (kind) {
    drop.addEventListener(kind, function (event) {
      event.preventDefault();
      drop.classList.add("border-primary");
    });
  });
  ["dragleave", "drop"].forEach(function (kind) {
    drop.addEventListener(kind, function (event) {
      event.preventDefault();
      drop.classList.remove("border-primary");
    });
  });
  drop.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      check();
    }
  });
  form.addEventListener("submit", function (event) {
    if (!check()) {
      event.preventDefault();
    }
  });
})();
