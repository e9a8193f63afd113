// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // "Since your last visit": remember, in this browser only, the last revision seen per story.
  function lastVisit() {
    var note = document.getElementById("last-visit");
    if (!note) return;
    var key = "newsroom:seen:" + note.dataset.story;
    var live = parseInt(note.dataset.live, 10);
    var seen = null;
    try {
      seen = parseInt(window.localStorage.getItem(key), 10);
      window.localStorage.setItem(key, String(live));
    } catch (error) {
      return; // storage disabled: nothing to remember
    }
    if (!seen || seen >= live) return;
    var count = live - seen;
    var link = document.createElement("a");
    link.href = note.dataset.compareBase + seen + "/" + live + "/";
    link.textContent = "see what changed";
    note.textContent = count + (count === 1 ? " update" : " updates") + " since your last visit — ";
    note.appendChild(link);
    note.hidden = false;
  }

  // n / p jump to the next / previous change on a comparison page.
  function visibleChanges() {
    return Array.prototype.filter.call(
      document.querySelectorAll(".diff [id][data-change]:not([data-change='equal'])"),
      function (element) { return element.offsetParent !== null; }
    );
  }

  function jump(step) {
    var changes = visibleChanges();
    // A change just jumped to sits below the sticky bar, at its scroll-margin (4rem): look past it.
    var edge = 72;
    var target = step > 0
      ? changes.find(function (element) { return element.getBoundingClientRect().top > edge; })
      : changes.filter(function (element) { return element.getBoundingClientRect().top < edge - 16; }).pop();
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  // The hint for those keys shows only where this script runs to handle them.
  function keyHints(root) {
    root.querySelectorAll(".change-keys[hidden]").forEach(function (hint) { hint.hidden = false; });
  }

  // The live notice's close button, and Escape: the notice goes, the polling goes on (the
  // poller around it stays), and the next update brings a new one.
  function dismissNotice() {
    var notice = document.querySelector("[data-notice]");
    if (notice) notice.remove();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-dismiss-notice]")) dismissNotice();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") dismissNotice();
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    if (event.key === "n" || event.key === "j") jump(1);
    if (event.key === "p" || event.key === "k") jump(-1);
  });

  // "3 h ago" before each time marked data-ago. The server sends only the date, so that a page
  // is the same bytes for every reader at any time (it is cached and revalidated by ETag).
  function ago(moment) {
    var seconds = Math.floor((Date.now() - moment.getTime()) / 1000);
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    if (seconds < 86400) return Math.floor(seconds / 3600) + " h ago";
    var days = Math.floor(seconds / 86400);
    return days + (days === 1 ? " day ago" : " days ago");
  }

  function relativeTimes() {
    document.querySelectorAll("time[data-ago]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      if (!element.dataset.date) element.dataset.date = element.textContent;
      element.textContent = ago(moment) + " · " + element.dataset.date;
    });
  }

  // Times in the reader's own time zone. The server writes them in UTC with the zone named (the
  // page is the same for everyone); the UTC text stays in the title.
  var dayFormat = { day: "numeric", month: "short" };
  var timeFormat = { hour: "numeric", minute: "2-digit" };

  function localText(moment, withYear, withDay) {
    var parts = [];
    if (withDay) {
      var day = Object.assign({}, dayFormat, withYear ? { year: "numeric" } : {});
      parts.push(moment.toLocaleDateString(undefined, day));
    }
    parts.push(moment.toLocaleTimeString(undefined, timeFormat));
    return parts.join(", ");
  }

  function localTimes(root) {
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (element) {
      var value = element.getAttribute("datetime");
      var moment = new Date(value);
      if (value.indexOf("T") < 0 || isNaN(moment.getTime())) return;
      var text = element.textContent;
      var withYear = /\d{4}/.test(text);
      var withDay = withYear || /[A-Za-z]{3}/.test(text.replace(/UTC|GMT/g, ""));
      element.title = text;
      element.textContent = localText(moment, withYear, withDay) + " your time";
      element.dataset.local = "";
    });
    // The chart's axis: the day where it changes, else the time alone.
    var lastDay = null;
    root.querySelectorAll("text[data-datetime]").forEach(function (label) {
      var moment = new Date(label.getAttribute("data-datetime"));
      if (isNaN(moment.getTime())) return;
      var day = moment.toDateString();
      label.textContent = day === lastDay
        ? moment.toLocaleTimeString(undefined, timeFormat)
        : moment.toLocaleDateString(undefined, dayFormat) + " " + moment.toLocaleTimeString(undefined, timeFormat);
      lastDay = day;
    });
    root.querySelectorAll("[data-zone-label]").forEach(function (label) {
      label.textContent = "times (your time)";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    keyHints(document);
    lastVisit();
    relativeTimes();
    window.setInterval(relativeTimes, 60 * 1000);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes(event.target);
    keyHints(event.target);
    relativeTimes();
  });
})();
