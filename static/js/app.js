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
  document.addEventListener("DOMContentLoaded", setUpNavToggle);
})();
