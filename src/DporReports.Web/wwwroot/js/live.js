// Live progress without reloads. A page region marked data-live="<status url>" while work is under way
// (data-live-busy) polls that small JSON status ({ state, busy }); when the state changes, the region is replaced by
// the same region of a fresh copy of the page. Polling stops once nothing is busy. Without JavaScript the page
// works as before: the person reloads.
(function () {
  "use strict";
  var region = document.querySelector("[data-live]");
  if (!region) return;
  document.documentElement.classList.add("live");
  var announce = document.querySelector("[data-live-announce]");
  var state = region.getAttribute("data-live-state");
  var interval = 1500;

  // The person is working in the region (a panel open, focus inside): its replacement waits for the next tick.
  function interacting() {
    var active = document.activeElement;
    return region.querySelector("details[open]") !== null || (active !== null && active !== document.body && region.contains(active));
  }

  function refresh(next) {
    return fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
        if (!fresh || interacting()) return;
        region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes));
        // What the page's other scripts set up on load (chart tooltips) they set up again on the new content.
        region.dispatchEvent(new CustomEvent("live:updated", { bubbles: true }));
        state = next;
        ["data-live-state", "data-live-busy"].forEach(function (name) {
          if (fresh.hasAttribute(name)) region.setAttribute(name, fresh.getAttribute(name));
          else region.removeAttribute(name);
        });
        if (announce) announce.textContent = announce.getAttribute("data-live-announce");
      });
  }

  function tick() {
    if (!region.hasAttribute("data-live-busy")) return;
    fetch(region.getAttribute("data-live"), { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) {
        if (!status) return null;
        if (status.state !== state) {
          return interacting() ? null : refresh(status.state);
        }
        if (!status.busy) region.removeAttribute("data-live-busy");
        return null;
      })
      .catch(function () { /* a failed poll is retried on the next tick */ })
      .then(function () { window.setTimeout(tick, interval); });
  }

  window.setTimeout(tick, interval);
})();
