// Charts' figures on hover and by keyboard. Each chart (svg[data-chart]) holds named points (.point, aria-label = the day's
// figures); the newest is in the tab order. Arrow keys, Home and End move the focus between points (a roving tabindex), and
// the focused or pointed-at point's figures show in a tooltip beside it. Without JavaScript the points keep their native
// <title> tooltips and the numbers table under each chart holds the same figures.
(function () {
  "use strict";

  function setup(svg) {
    var points = Array.prototype.slice.call(svg.querySelectorAll(".point"));
    var figure = svg.parentNode;
    if (points.length === 0 || !figure) return;
    figure.classList.add("chart-live");
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("data-chart-tip", "");
    // The focused point's own name is what assistive technology reads; the tooltip repeats it for the eyes only.
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    figure.appendChild(tip);
    var shown = null;

    function show(point) {
      if (shown) shown.classList.remove("active");
      shown = point;
      point.classList.add("active");
      tip.textContent = point.getAttribute("aria-label");
      tip.hidden = false;
      var box = point.getBoundingClientRect();
      var host = figure.getBoundingClientRect();
      var left = box.left + box.width / 2 - host.left - tip.offsetWidth / 2;
      tip.style.left = Math.max(0, Math.min(left, host.width - tip.offsetWidth)) + "px";
      tip.style.top = Math.max(0, box.top - host.top - tip.offsetHeight - 8) + "px";
    }

    function hide() {
      if (shown) shown.classList.remove("active");
      shown = null;
      tip.hidden = true;
    }

    // The point nearest the pointer along the time axis: with 180 days a marker is too small to aim at.
    svg.addEventListener("pointermove", function (e) {
      var best = null, distance = Infinity;
      points.forEach(function (p) {
        var box = p.getBoundingClientRect();
        var d = Math.abs(box.left + box.width / 2 - e.clientX) + Math.abs(box.top + box.height / 2 - e.clientY) / 4;
        if (d < distance) { distance = d; best = p; }
      });
      if (best && best !== shown) show(best);
    });
    svg.addEventListener("pointerleave", function () {
      if (!svg.contains(document.activeElement)) hide();
    });

    points.forEach(function (p) {
      p.addEventListener("focus", function () { show(p); });
      p.addEventListener("blur", hide);
    });

    svg.addEventListener("keydown", function (e) {
      var index = points.indexOf(document.activeElement);
      if (index < 0) return;
      var next = { ArrowLeft: index - 1, ArrowDown: index - 1, ArrowRight: index + 1, ArrowUp: index + 1, Home: 0, End: points.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      next = Math.max(0, Math.min(points.length - 1, next));
      points[index].setAttribute("tabindex", "-1");
      points[next].setAttribute("tabindex", "0");
      points[next].focus();
    });
  }

  function setupAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("svg[data-chart]"), function (svg) {
      if (!svg.parentNode || !svg.parentNode.classList.contains("chart-live")) setup(svg);
    });
  }

  setupAll(document);
  // Charts that arrive with a live region's new content (a dashboard whose figures were being prepared).
  document.addEventListener("live:updated", function (e) { setupAll(e.target); });
})();
