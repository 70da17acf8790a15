// twinpress desk: the little that needs a script. Everything works without it.
(function () {
  // Saving keeps the preview where the editor was reading: its scroll is remembered for the
  // page the save brings back, and restored once the preview has loaded.
  var frame = document.getElementById("preview");
  var form = document.getElementById("edit");
  var key = "twinpress-desk-preview-scroll";
  if (form && frame) {
    form.addEventListener("submit", function () {
      try {
        var w = frame.contentWindow;
        sessionStorage.setItem(key, JSON.stringify({ path: w.location.pathname, y: w.scrollY }));
      } catch (e) { /* another origin: nothing to keep */ }
    });
    var restore = function () {
      try {
        var saved = JSON.parse(sessionStorage.getItem(key) || "null");
        var w = frame.contentWindow;
        if (saved && w.location.pathname === saved.path) w.scrollTo(0, saved.y);
      } catch (e) { /* nothing to restore */ }
    };
    frame.addEventListener("load", function () {
      restore();
      // A reload by the preview's own live reload keeps its place too.
      try { frame.contentWindow.addEventListener("pagehide", function () {
        sessionStorage.setItem(key, JSON.stringify({ path: frame.contentWindow.location.pathname, y: frame.contentWindow.scrollY }));
      }); } catch (e) { /* another origin */ }
    });
  }
})();
