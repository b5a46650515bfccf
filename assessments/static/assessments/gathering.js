// The gathering screen: arrow keys and presentation clickers (Page Up / Page Down) move
// between dimensions by following the page's own Previous / Next links.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest("input, select, textarea, [contenteditable]")) return;
  const rel = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" }[event.key];
  if (!rel) return;
  const link = document.querySelector(`.gathering__nav a[rel="${rel}"]`);
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});

// Full screen for the room (the Fullscreen API): the button shows only where the browser
// offers it; without JavaScript the page is already large and the browser's own F11 works.
const fullscreenButton = document.querySelector("[data-fullscreen]");
if (fullscreenButton && document.fullscreenEnabled) {
  fullscreenButton.hidden = false;
  fullscreenButton.addEventListener("click", () => {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });
  document.addEventListener("fullscreenchange", () => {
    fullscreenButton.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  });
}
