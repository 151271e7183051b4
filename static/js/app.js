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

  // Jalali date picker on every input marked data-jdp (Persian pages only). A close button on every
  // screen (on a phone it is a bottom sheet over the form's buttons); it closes once a whole date is
  // typed, on Enter and on Escape; what it writes («امروز», a picked day) is in Persian digits.
  if (window.jalaliDatepicker) {
    var picker = window.jalaliDatepicker;
    picker.startWatch({
      persianDigits: true, autoReadOnlyInput: false, time: false, showCloseBtn: true, hideAfterChange: true
    });
    var isDateInput = function (element) {
      return element && element.matches && element.matches("input[data-jdp]");
    };
    var persianDigits = function (text) {
      return text.replace(/[0-9]/g, function (digit) { return String.fromCharCode(0x06F0 + Number(digit)); });
    };
    var wholeDate = /^\s*[0-9\u06F0-\u06F9\u0660-\u0669]{4}[\/\-][0-9\u06F0-\u06F9\u0660-\u0669]{1,2}[\/\-][0-9\u06F0-\u06F9\u0660-\u0669]{1,2}\s*$/;
    document.addEventListener("jdp:change", function (event) {
      var input = event.target;
      if (isDateInput(input) && /[0-9]/.test(input.value)) { input.value = persianDigits(input.value); }
    }, true);
    document.addEventListener("input", function (event) {
      if (isDateInput(event.target) && event.isTrusted && wholeDate.test(event.target.value)) { picker.hide(); }
    }, true);
    document.addEventListener("keydown", function (event) {
      if (isDateInput(event.target) && (event.key === "Escape" || event.key === "Enter")) { picker.hide(); }
    }, true);
  }
})();
