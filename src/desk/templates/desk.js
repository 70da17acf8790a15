// twinpress desk: the little that needs a script. Everything works without it.
(function () {
  // Saving keeps the preview where the editor was reading: its scroll is kept for the page the
  // preview shows, which the preview's live-reload script restores when it loads again.
  var frame = document.getElementById("preview");
  var form = document.getElementById("edit");
  if (form && frame) {
    form.addEventListener("submit", function () {
      try {
        var w = frame.contentWindow;
        sessionStorage.setItem("twinpress-scroll:" + w.location.pathname, JSON.stringify({ y: w.scrollY, t: Date.now() }));
      } catch (e) { /* another origin: nothing to keep */ }
    });
  }
  // Team mode: while the editor is open, say so every thirty seconds (the list and the other
  // editors' pages show who has an article open).
  var here = document.querySelector("[data-here]");
  if (here) {
    setInterval(function () {
      var body = new URLSearchParams({ id: here.getAttribute("data-here") });
      fetch(here.getAttribute("data-url"), { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
    }, 30000);
  }
})();
