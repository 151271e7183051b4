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

  // The Jalali date picker starts in js/jalali-picker.js (the admin loads it too).
})();
