// Presto's only script, and everything works without it. It adds a
// "Listen" button to each vocabulary term, which reads the term aloud with
// the phone's own speech synthesis in British English (nothing is
// downloaded).
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
