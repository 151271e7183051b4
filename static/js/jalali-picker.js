// The local Jalali date picker on every date box marked data-jdp (Persian pages; the app and the admin).
// The picker reads a box's date with parseInt, which gives nothing for Persian digits (۱۴۰۵/۰۶/۳۱), so a
// box is handed to it with Latin digits and shows Persian ones again once a day is picked.
(function () {
  "use strict";
  var LATIN = "0123456789";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";
  function latin(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (digit) {
      var index = PERSIAN.indexOf(digit);
      return LATIN[index >= 0 ? index : ARABIC.indexOf(digit)];
    });
  }
  function persian(text) {
    return text.replace(/[0-9]/g, function (digit) { return PERSIAN[LATIN.indexOf(digit)]; });
  }
  // Digits change in place (same length), so the caret and a selection stay where they were: a box
  // selected on focus (Tab, or select-all before typing) is still replaced by what is typed.
  function setDigits(box, text) {
    if (box.value === text) return;
    var start = box.selectionStart, end = box.selectionEnd;
    box.value = text;
    if (document.activeElement === box && start !== null) {
      try { box.setSelectionRange(start, end); } catch (ignored) { /* not a text box */ }
    }
  }
  function isDateBox(target) {
    return target && target.matches && target.matches("input[data-jdp]");
  }
  // The picker's show() displays the sheet again 300 ms after it opened, so a sheet closed sooner (a
  // quick «امروز», a date typed fast, Enter) came back. Every close is repeated after that moment,
  // unless the sheet was opened again in between (`opens` counts the openings).
  var opens = 0;
  function closeSoon() {
    var seen = opens;
    window.setTimeout(function () { if (opens === seen && window.jalaliDatepicker) window.jalaliDatepicker.hide(); }, 350);
  }
  function close() {
    window.jalaliDatepicker.hide();
    closeSoon();
  }
  function sheetShown() {
    var sheet = document.querySelector("jdp-container");
    return !!sheet && sheet.style.display !== "none" && sheet.style.visibility !== "hidden";
  }
  // Capture phase on the document: before the picker's own listener on the body reads the box.
  document.addEventListener("focusin", function (event) {
    if (isDateBox(event.target)) {
      opens += 1;
      setDigits(event.target, latin(event.target.value));
    }
  }, true);
  // The picker opens on focus only: a tap on the box that still has the focus, after the sheet was
  // closed, opens it again.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".jdp-btn-close")) closeSoon();
    if (window.jalaliDatepicker && isDateBox(event.target) && !sheetShown()) {
      opens += 1;
      setDigits(event.target, latin(event.target.value));
      window.jalaliDatepicker.show(event.target);
    }
  });
  document.addEventListener("change", function (event) {
    if (isDateBox(event.target)) setDigits(event.target, persian(event.target.value));
  });
  document.addEventListener("focusout", function (event) {
    var box = event.target;
    if (isDateBox(box)) {
      window.setTimeout(function () { if (document.activeElement !== box) setDigits(box, persian(box.value)); }, 300);
    }
  });
  // A close button on every screen (on a phone the picker is a bottom sheet over the form's buttons);
  // it closes once a whole date is typed, on Enter and on Escape.
  var wholeDate = /^\s*[0-9۰-۹٠-٩]{4}[\/\-][0-9۰-۹٠-٩]{1,2}[\/\-][0-9۰-۹٠-٩]{1,2}\s*$/;
  document.addEventListener("jdp:change", function (event) {
    if (isDateBox(event.target)) {
      setDigits(event.target, persian(event.target.value));
      closeSoon();  // a day or «امروز» was picked: the picker hides itself (hideAfterChange)
    }
  }, true);
  document.addEventListener("input", function (event) {
    if (window.jalaliDatepicker && isDateBox(event.target) && event.isTrusted && wholeDate.test(event.target.value)) {
      close();
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (window.jalaliDatepicker && isDateBox(event.target) && (event.key === "Escape" || event.key === "Enter")) {
      // Enter with the sheet open only closes it (as in a drop-down); with the sheet closed it sends the form.
      if (event.key === "Enter" && sheetShown()) event.preventDefault();
      close();
    }
  }, true);
  function start() {
    if (window.jalaliDatepicker) {
      window.jalaliDatepicker.startWatch({
        persianDigits: true, autoReadOnlyInput: false, time: false, showCloseBtn: true, hideAfterChange: true
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
