// The module editor, made quicker: a moment after the tutor stops typing,
// the text is checked on the server and the problems and preview under
// the editor are replaced. Without this script the "Check and preview"
// button does the same with a page load; nothing depends on it.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var text = form.querySelector("textarea[name=text]");
  var status = document.getElementById("check-status");
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function check() {
    var body = new URLSearchParams();
    body.append("csrf", form.elements.csrf.value);
    body.append("text", text.value);
    sent += 1;
    var number = sent;
    say(form.getAttribute("data-checking") || "");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        // A slower answer to older text must not replace a newer one.
        if (number !== sent) {
          return;
        }
        results.innerHTML = answer.html;
        say(answer.summary);
      })
      .catch(function () {
        if (number === sent) {
          say(form.getAttribute("data-check-failed") || "");
        }
      });
  }

  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 700);
  });
})();
