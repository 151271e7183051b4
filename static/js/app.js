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

  // Jalali date picker on every input marked data-jdp (Persian pages only).
  if (window.jalaliDatepicker) {
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoReadOnlyInput: false, time: false });
  }
})();
