// Flipside's small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  function setUpNavToggle() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Read-only links to copy (the private calendar feed): a click selects the whole link.
  function setUpSelectOnFocus() {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("click", function () { input.select(); });
      input.addEventListener("focus", function () { input.select(); });
    });
  }
  document.addEventListener("DOMContentLoaded", setUpNavToggle);
  document.addEventListener("DOMContentLoaded", setUpSelectOnFocus);
})();
