// Loaded in <head> before the page paints: CSS can tell that scripts run (no inline script,
// as the Content-Security-Policy forbids them).
document.documentElement.classList.replace("no-js", "js");
