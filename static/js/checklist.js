// The visit checklist: one tap sets an outcome. Every change goes first into IndexedDB
// (a queue per visit), then to the server when there is a connection, each with its own
// key so a resend never doubles it. A reload, a closed tab or a restart loses nothing:
// the queue is read back on load and the page shows what it holds.
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  if (!root) {
    return;
  }
  var visit = Number(root.dataset.visit);
  var user = Number(root.dataset.user);
  var text = root.dataset;
  var labels = {};
  JSON.parse(document.getElementById("outcome-labels").textContent).forEach(function (pair) {
    labels[pair[0]] = pair[1];
  });
  var reasons = {};
  JSON.parse(document.getElementById("reason-labels").textContent).forEach(function (pair) {
    reasons[pair[0]] = pair[1];
  });
  var rows = {};
  root.querySelectorAll("[data-student]").forEach(function (row) {
    rows[row.dataset.student] = row;
  });
  // What the server last said about each student: {outcome, reason, version}.
  var known = {};
  Object.keys(rows).forEach(function (id) {
    var row = rows[id];
    known[id] = {
      outcome: row.dataset.outcome,
      reason: row.dataset.reason,
      version: Number(row.dataset.version),
    };
  });
  var queue = []; // the changes not yet answered, oldest first
  var sending = false;
  var db = null;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("ktpku-checklist", 1);
      request.onupgradeneeded = function () {
        var base = request.result;
        base.createObjectStore("queue", { keyPath: "key" }).createIndex("visit", "visit");
        base.createObjectStore("known", { keyPath: ["visit", "student"] });
        base.createObjectStore("meta", { keyPath: "visit" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(name, mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(name, mode);
      var result = work(tx.objectStore(name));
      tx.oncomplete = function () { resolve(result && result.result); };
      tx.onerror = function () { reject(tx.error); };
    });
  }

  function all(name) {
    return store(name, "readonly", function (s) { return s.getAll(); });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function label(outcome, reason) {
    if (!outcome) {
      return text.textNone;
    }
    return labels[outcome] + (reason ? " (" + reasons[reason] + ")" : "");
  }

  // What a student shows: the server's value, or the latest change still waiting.
  function shown(id) {
    var value = known[id];
    queue.forEach(function (change) {
      if (change.kind === "one" && String(change.student) === id) {
        value = { outcome: change.outcome, reason: change.reason, version: value.version };
      } else if (change.kind === "rest" && change.students.indexOf(Number(id)) >= 0 &&
                 !value.outcome) {
        value = { outcome: "absent", reason: "", version: value.version };
      }
    });
    return value;
  }

  function waitingFor(id) {
    return queue.some(function (change) {
      return (change.kind === "one" && String(change.student) === id) ||
        (change.kind === "rest" && change.students.indexOf(Number(id)) >= 0);
    });
  }

  function render() {
    var counts = { recorded: 0, absent: 0, failed: 0, others: 0, waiting: 0 };
    Object.keys(rows).forEach(function (id) {
      var row = rows[id];
      var value = shown(id);
      row.dataset.outcome = value.outcome;
      row.querySelector(".row-state").textContent = label(value.outcome, value.reason);
      row.querySelector(".row-pending").textContent = waitingFor(id) ? "· " + text.textWaiting : "";
      row.querySelectorAll("[data-outcome]").forEach(function (button) {
        var on = button.dataset.outcome === value.outcome &&
          (button.dataset.reason || "") === (button.dataset.reason ? value.reason : "");
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (!value.outcome) {
        counts.waiting += 1;
      } else if (value.outcome in counts) {
        counts[value.outcome] += 1;
      } else {
        counts.others += 1;
      }
    });
    Object.keys(counts).forEach(function (name) {
      root.querySelector('[data-count="' + name + '"]').textContent = counts[name];
    });
    root.querySelector('[data-testid="queue-waiting"]').textContent = queue.length;
    var rest = root.querySelector("[data-rest-absent]");
    if (rest) {
      rest.disabled = counts.waiting === 0;
    }
  }

  function say(message) {
    root.querySelector('[data-testid="checklist-message"]').textContent = message || "";
  }

  function showLastSent(when) {
    if (when) {
      root.querySelector('[data-testid="last-sent"]').textContent =
        new Date(when).toLocaleTimeString(document.documentElement.lang || "id",
          { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    }
  }

  function showConnection() {
    var badge = root.querySelector('[data-testid="connection"]');
    badge.textContent = navigator.onLine ? text.textOnline : text.textOffline;
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
  }

  function remember(id, value) {
    known[id] = value;
    return store("known", "readwrite", function (s) {
      return s.put({ visit: visit, student: Number(id), outcome: value.outcome,
        reason: value.reason, version: value.version });
    });
  }

  function enqueue(change) {
    change.key = newKey();
    change.visit = visit;
    change.user = user; // sent only by who entered it (it may wait past a logout)
    change.queuedAt = Date.now();
    var note = root.querySelector('[data-testid="change-note"]');
    change.note = note ? note.value : "";
    if (text.closed && !text.staffAfterClose) {
      return;
    }
    if (text.closed && !change.note.trim()) {
      say(text.textNoteNeeded);
      return;
    }
    queue.push(change);
    render();
    store("queue", "readwrite", function (s) { return s.put(change); }).then(flush);
  }

  function set(id, outcome, reason) {
    var value = shown(id);
    if (value.outcome === outcome && value.reason === reason) {
      return;
    }
    rows[id].querySelector("[data-reasons]").classList.add("d-none");
    rows[id].querySelector("[data-testid='row-message']").textContent = "";
    // Changes made here one after another build on each other: only the first one names
    // the version the server showed; the others are sent after it was answered.
    enqueue({ kind: "one", student: Number(id), outcome: outcome, reason: reason,
      version: known[id].version });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": text.csrf },
      body: JSON.stringify(body),
    });
  }

  function answered(change, data) {
    var updates = [];
    var answers = change.kind === "rest" ? data.rows || [] : [data];
    answers.forEach(function (answer) {
      if (answer.student === undefined) {
        return;
      }
      var id = String(answer.student);
      updates.push(remember(id, { outcome: answer.outcome, reason: answer.reason,
        version: answer.version }));
      if (!data.accepted && rows[id]) {
        rows[id].querySelector("[data-testid='row-message']").textContent = data.message;
      }
      // A later change of this device to the same student builds on this answer.
      queue.forEach(function (later) {
        if (later !== change && later.kind === "one" && String(later.student) === id &&
            data.accepted) {
          later.version = answer.version;
        }
      });
    });
    if (change.kind === "rest" || (!data.accepted && data.student === undefined)) {
      say(data.message);
    }
    var now = Date.now();
    updates.push(store("meta", "readwrite", function (s) {
      return s.put({ visit: visit, lastSent: now });
    }));
    showLastSent(now);
    return Promise.all(updates);
  }

  function sendOne(change) {
    var url = change.kind === "rest" ? root.dataset.restUrl : root.dataset.outcomeUrl;
    var body = change.kind === "rest"
      ? { key: change.key, students: change.students }
      : { key: change.key, student: change.student, outcome: change.outcome,
        reason: change.reason, version: change.version, note: change.note };
    return post(url, body).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 302) {
        say(text.textLogin);
        throw new Error("signed out");
      }
      if (response.status >= 500) {
        throw new Error("server");
      }
      return response.json().then(function (data) {
        return answered(change, data);
      });
    }).then(function () {
      queue.splice(queue.indexOf(change), 1);
      return Promise.all([
        store("queue", "readwrite", function (s) { return s.delete(change.key); }),
        store("queue", "readwrite", function (s) {
          queue.forEach(function (later) { s.put(later); });
        }),
      ]);
    });
  }

  function flush() {
    showConnection();
    if (sending || !queue.length || !navigator.onLine) {
      render();
      return Promise.resolve();
    }
    sending = true;
    var next = queue[0];
    return sendOne(next).then(function () {
      sending = false;
      render();
      return flush();
    }, function () {
      sending = false;
      render();
    });
  }

  function filter(term) {
    term = term.trim().toLowerCase();
    Object.keys(rows).forEach(function (id) {
      rows[id].hidden = term !== "" && rows[id].dataset.search.indexOf(term) < 0;
    });
    root.querySelectorAll("[data-class]").forEach(function (section) {
      section.hidden = !section.querySelector("[data-student]:not([hidden])");
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !root.contains(button)) {
      return;
    }
    var row = button.closest("[data-student]");
    if (button.hasAttribute("data-rest-absent")) {
      var rest = Object.keys(rows).filter(function (id) { return !shown(id).outcome; });
      if (rest.length) {
        enqueue({ kind: "rest", students: rest.map(Number) });
      }
      return;
    }
    if (!row) {
      return;
    }
    var id = row.dataset.student;
    if (button.hasAttribute("data-show-reasons")) {
      var box = row.querySelector("[data-reasons]");
      box.classList.toggle("d-none");
      button.setAttribute("aria-expanded", box.classList.contains("d-none") ? "false" : "true");
      var first = box.querySelector("button");
      if (!box.classList.contains("d-none") && first) {
        first.focus();
      }
    } else if (button.hasAttribute("data-undo")) {
      if (shown(id).outcome) {
        set(id, "", "");
      }
    } else if (button.dataset.outcome) {
      var more = button.closest("details");
      if (more) {
        more.open = false;
      }
      set(id, button.dataset.outcome, button.dataset.reason || "");
    }
  });
  root.querySelector('[data-testid="checklist-search"]').addEventListener("input", function (e) {
    filter(e.target.value);
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", showConnection);
  setInterval(flush, 20000);

  // Keep this page and its scripts and styles for the days without signal.
  function keepOffline() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.kept) {
        root.dataset.offlineReady = "1";
      }
    });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
        var url = new URL(el.src || el.href, location.href);
        if (url.origin === location.origin) {
          urls.push(url.pathname);
        }
      });
      registration.active.postMessage({ keep: urls });
    }).catch(function () {});
  }

  openDb().then(function (opened) {
    db = opened;
    return Promise.all([all("known"), all("queue"), all("meta")]);
  }).then(function (stored) {
    stored[0].forEach(function (value) {
      var id = String(value.student);
      // A page kept for offline use may be older than what this device heard since.
      if (value.visit === visit && known[id] && value.version > known[id].version) {
        known[id] = { outcome: value.outcome, reason: value.reason, version: value.version };
      }
    });
    queue = stored[1].filter(function (change) {
      return change.visit === visit && (change.user === undefined || change.user === user);
    })
      .sort(function (a, b) { return a.queuedAt - b.queuedAt; });
    stored[2].forEach(function (meta) {
      if (meta.visit === visit) {
        showLastSent(meta.lastSent);
      }
    });
    root.dataset.ready = "1";
    render();
    flush();
  }, function () {
    say(text.textOffline);
  });
  keepOffline();
}());
