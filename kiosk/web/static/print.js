// The print view's "Drukuj" button: a static file, because the Content-Security-Policy forbids inline scripts.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
