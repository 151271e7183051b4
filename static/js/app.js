// Behaviour shared by every page. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // The language switch submits on change; its button stays for keyboards and no-JS users.
  document.querySelectorAll(".js-language-form select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll(".js-language-submit").forEach(function (button) {
    button.classList.add("visually-hidden");
  });

  // The evidence file input: a Persian button in front of the browser's own, and the chosen names.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".file-picker-input")) { return; }
    var names = input.closest(".file-picker").querySelector(".file-picker-names");
    var chosen = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    names.textContent = chosen.length ? chosen.join("، ") : names.getAttribute("data-empty");
  });

  // The Jalali date picker starts in js/jalali-picker.js (the admin loads it too).
})();
