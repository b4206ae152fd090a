// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus into a freshly swapped form or card so keyboard and screen-reader users
  // land where the content changed.
  const target = event.detail.target;
  const focusable = target.querySelector("[autofocus], textarea, select, input:not([type=hidden])");
  if (focusable) {
    focusable.focus();
  } else if (target.hasAttribute("tabindex")) {
    target.focus();
  }
});
