// A table wider than its scroller (.table-wrap, e.g. on a phone) must scroll by keyboard too (WCAG 2.1.1): such a
// scroller joins the tab order (arrow keys then scroll it); one that fits stays out of it. No role or name of its own:
// the section around it already is the named region (a second one with the same name would repeat it). Re-checked when
// the window resizes, a panel opens or live.js replaces a region.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (wrap.tabIndex !== 0) wrap.tabIndex = 0;
      } else if (wrap.hasAttribute("tabindex")) {
        wrap.removeAttribute("tabindex");
      }
    });
  }

  mark();
  window.addEventListener("resize", mark);
  document.addEventListener("toggle", mark, true);
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
})();
