// Presto's only script, and everything works without it. It adds a
// "Listen" button to each vocabulary term, which reads the term aloud with
// the phone's own speech synthesis in British English (nothing is
// downloaded), a "Copy" button next to links meant to be shared, and in a
// quiz, Enter (or Go) in a typing box moves on to the next answer.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  var sources = document.querySelectorAll("input.copy-source");
  for (var i = 0; i < sources.length; i++) {
    (function (input) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = input.getAttribute("data-copy-label") || "Copy";
      var status = document.createElement("span");
      status.setAttribute("role", "status");
      status.className = "help";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          status.textContent = " " + (input.getAttribute("data-copied") || "Copied");
        });
      });
      input.insertAdjacentElement("afterend", status);
      input.insertAdjacentElement("afterend", button);
    })(sources[i]);
  }
})();

(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  var label = document.body.getAttribute("data-listen-label") || "Listen";

  function britishVoice() {
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang === "en-GB" || voices[i].lang === "en_GB") {
        return voices[i];
      }
    }
    return null;
  }

  function say(text) {
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "en-GB";
    utterance.rate = 0.85;
    var voice = britishVoice();
    if (voice) {
      utterance.voice = voice;
    }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  var terms = document.querySelectorAll("dt[data-say]");
  for (var i = 0; i < terms.length; i++) {
    (function (term) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "say";
      button.textContent = "\u25B6 " + label;
      button.setAttribute("aria-label", label + ": " + term.getAttribute("data-say"));
      button.addEventListener("click", function () {
        say(term.getAttribute("data-say"));
      });
      term.appendChild(button);
    })(terms[i]);
  }
})();

// The Print button on login cards: shown only when a script can press it
// (without one, the page says to use the browser's Print).
(function () {
  "use strict";
  if (typeof window.print !== "function") {
    return;
  }
  var buttons = document.querySelectorAll("button[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();

(function () {
  "use strict";
  // Without this script, Enter in a quiz's typing box does nothing (the
  // form's default button is disabled, so a slip never submits half a
  // quiz); with it, Enter moves on to the next answer, as phones' "Next"
  // key suggests.
  var quizzes = document.querySelectorAll("form.quiz");
  for (var i = 0; i < quizzes.length; i++) {
    quizzes[i].addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field.tagName !== "INPUT" || field.type !== "text") {
        return;
      }
      event.preventDefault();
      var fields = this.querySelectorAll("input:not([type=hidden]), select, button:not([disabled])");
      for (var j = 0; j < fields.length - 1; j++) {
        if (fields[j] === field) {
          fields[j + 1].focus();
          return;
        }
      }
    });
  }
})();
