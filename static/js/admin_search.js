// An admin list's search box sends its words in the address (?q=...), which lands in the
// browser history and every access log on the way. An identity number (a NIK, a KK or a
// NISN: ten digits or more, spaces, dots and dashes aside) is stopped here, before it
// leaves the browser; the server refuses to search for one anyway (ktpku/admin.py).
(function () {
  "use strict";
  var IDENTIFIER = /\d{10,}/;
  var note = document.querySelector('meta[name="ktpku-identifier-refused"]');

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "changelist-search") {
      return;
    }
    var box = form.querySelector("#searchbar");
    if (!box || !IDENTIFIER.test(box.value.replace(/[\s.\-']/g, ""))) {
      return;
    }
    event.preventDefault();
    box.value = "";
    var message = form.querySelector(".ktpku-identifier-refused");
    if (!message) {
      message = document.createElement("p");
      message.className = "errornote ktpku-identifier-refused";
      message.setAttribute("role", "alert");
      message.setAttribute("data-testid", "identifier-refused");
      form.appendChild(message);
    }
    message.textContent = note ? note.content : "";
    box.focus();
  });
})();
