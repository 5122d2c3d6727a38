// What the visit checklist keeps on a device for the days without signal (its pages in the
// service worker's cache, what the office last said in IndexedDB) holds students' names:
// it goes when the user logs out, and when the sign-in page shows (a session that ended).
// Outcomes not sent yet are never dropped silently: logging out first says how many there
// are; if the user goes on, they stay on the device (the IndexedDB queue), with the user
// who entered them, and are sent the next time that user opens the checklist.
(function () {
  "use strict";
  var CACHE_PREFIX = "ktpku-offline";
  var DATABASE = "ktpku-checklist";

  // The checklist's database if this device has one; never creates it (an empty one of
  // version 1 would keep the checklist from making its stores).
  function openExisting() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) {
        resolve(null);
        return;
      }
      var request = indexedDB.open(DATABASE);
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function unsentOf(user) {
    return openExisting().then(function (db) {
      if (!db) {
        return 0;
      }
      return new Promise(function (resolve) {
        var request = db.transaction("queue", "readonly").objectStore("queue").getAll();
        request.onsuccess = function () {
          db.close();
          resolve(request.result.filter(function (change) {
            return change.user === undefined || change.user === user;
          }).length);
        };
        request.onerror = function () { db.close(); resolve(0); };
      });
    });
  }

  function clearSent() {
    var pages = window.caches ? caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    }) : Promise.resolve();
    var stored = openExisting().then(function (db) {
      if (!db) {
        return null;
      }
      return new Promise(function (resolve) {
        var tx = db.transaction(["known", "meta"], "readwrite");
        tx.objectStore("known").clear();
        tx.objectStore("meta").clear();
        tx.oncomplete = function () { db.close(); resolve(); };
        tx.onerror = tx.onabort = function () { db.close(); resolve(); };
      });
    });
    return Promise.all([pages, stored]).catch(function () {});
  }

  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    var user = Number(form.dataset.user);
    var leaving = false;
    function leave() {
      leaving = true;
      clearSent().then(function () { form.submit(); });
    }
    form.addEventListener("submit", function (event) {
      if (leaving) {
        return;
      }
      event.preventDefault();
      unsentOf(user).then(function (count) {
        var box = document.getElementById("unsent-warning");
        if (!count || !box || !window.bootstrap) {
          leave();
          return;
        }
        box.querySelector("[data-unsent-count]").textContent =
          box.dataset.textCount.replace("%(count)s", count);
        var dialog = bootstrap.Modal.getOrCreateInstance(box);
        box.querySelector("[data-unsent-leave]").onclick = function () {
          dialog.hide();
          leave();
        };
        dialog.show();
      });
    });
  });

  if (document.querySelector("[data-offline-cleanup]")) {
    clearSent();
  }
}());
