// twinpress desk: the little that needs a script. Everything works without it.
(function () {
  // Saving keeps the preview where the editor was reading: the page the preview shows is told
  // it is leaving, so its live-reload script keeps its place now and again as it goes, and
  // restores it when it loads again. A page still loading (a live reload in progress) has kept
  // its place already and is not at it yet: it is not asked.
  var frame = document.getElementById("preview");
  var form = document.getElementById("edit");
  if (form && frame) {
    form.addEventListener("submit", function () {
      try {
        var w = frame.contentWindow;
        if (w.document.readyState !== "loading" && typeof w.__twinpressLeaving === "function") w.__twinpressLeaving();
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
