// The admin's date boxes: the same local Jalali date picker as the app (inputs marked data-jdp, Persian only).
(function () {
  "use strict";
  if (window.jalaliDatepicker) {
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoReadOnlyInput: false, time: false });
  }
})();
