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

  function check() {
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
