// The live class's pages, kept up to date by the class's event stream.
// The pages work without it: a learner's page refreshes itself every few
// seconds (a <noscript> refresh) and every page has a Refresh link. With
// it, the page reloads as soon as something the viewer sees changes: the
// server renders the page, so the script stays this small.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var url = main && main.getAttribute("data-live");
  if (!url || typeof EventSource === "undefined") {
    return;
  }
  var staff = main.getAttribute("data-part") !== "learner";
  var source = new EventSource(url);
  var first = true;
  var timer = null;
  // The page is on its way to the server (a hand raised, an answer sent):
  // a reload now would lose that, and the answer's page is fresh anyway.
  var leaving = false;
  document.addEventListener("submit", function () {
    leaving = true;
  });

  // Someone typing a poll or choosing a question keeps what they typed:
  // the reload waits until they leave the field.
  function busy() {
    var active = document.activeElement;
    if (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) {
      return true;
    }
    var fields = document.querySelectorAll("input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value) {
        return true;
      }
    }
    // A learner half way through a course question's form (matching,
    // order, several choices) keeps what they picked.
    var picked = document.querySelectorAll(".live-quiz select, .live-quiz input:checked");
    for (var j = 0; j < picked.length; j++) {
      if (picked[j].value) {
        return true;
      }
    }
    return false;
  }

  function reload() {
    if (timer) {
      return;
    }
    // Many answers in a second make one reload, not many.
    timer = window.setTimeout(function () {
      timer = null;
      if (leaving) {
        return;
      }
      if (busy()) {
        document.addEventListener("focusout", reload, { once: true });
        return;
      }
      source.close();
      window.location.reload();
    }, 600);
  }

  source.addEventListener("state", function (event) {
    // The first state is the page itself, unless something happened
    // between the page and its stream; a later one follows a reconnect.
    var shown = main.getAttribute("data-event");
    if (first && (!shown || event.lastEventId === shown)) {
      first = false;
    } else {
      first = false;
      reload();
    }
  });
  ["lesson", "question", "reveal", "end"].forEach(function (name) {
    source.addEventListener(name, reload);
  });
  if (staff) {
    ["hand", "tally", "joined", "following"].forEach(function (name) {
      source.addEventListener(name, reload);
    });
  }
})();
