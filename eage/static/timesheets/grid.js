/* Weekly time grid: live totals per row, per day and for the week; Enter moves down.
 * Accepts the same spellings as the server: 7,5 · 7.5 · 7:30 · 7h30 · 7 h 30.
 * The server re-validates everything: this script only helps typing.
 *
 * What is typed is also kept in this tab's sessionStorage until the week is saved, so that a
 * session that expired (or a page that was reloaded) does not lose it: the grid reopened
 * after signing in again restores it and says so. The page gives every text and the decimal
 * separator in its data- attributes (the reader's language): this file holds no sentence. */
(function () {
  "use strict";
  var form = document.getElementById("week-grid");
  if (!form) { return; }
  var decimal = form.getAttribute("data-decimal") || ",";
  var editable = form.getAttribute("data-editable") === "true";

  function parseMinutes(text) {
    var t = (text || "").trim().replace(/\u00a0|\u202f/g, " ");
    if (!t) { return 0; }
    var clock = /^(\d{1,3})\s*[:hH]\s*(\d{1,2})?\s*(?:min|mn|m)?$/.exec(t);
    if (clock) {
      var m = parseInt(clock[2] || "0", 10);
      return m < 60 ? parseInt(clock[1], 10) * 60 + m : NaN;
    }
    var compact = t.replace(/ /g, "");
    if (!/^-?\d{0,3}([.,]\d+)?$/.test(compact) || compact === "-") { return NaN; }
    var minutes = parseFloat(compact.replace(",", ".")) * 60;
    return Math.abs(minutes - Math.round(minutes)) < 1e-6 ? Math.round(minutes) : NaN;
  }

  function hours(minutes) {
    // Two decimals, the page's separator: 450 → "7,50" (French) or "7.50" (English).
    var cents = Math.round(minutes * 100 / 60);
    var whole = Math.floor(cents / 100);
    var frac = String(cents % 100).padStart(2, "0");
    return whole + decimal + frac;
  }

  function cellValue(el) {
    if (el.tagName === "INPUT") {
      // A recorded value left as displayed ("2,17" for 130 min) keeps its exact minutes.
      var saved = el.getAttribute("data-saved");
      if (saved && el.value.trim() === saved) {
        return parseInt(el.getAttribute("data-minutes") || "0", 10);
      }
      return parseMinutes(el.value);
    }
    return parseInt(el.getAttribute("data-minutes") || "0", 10);
  }

  function recompute() {
    var rows = {}, days = [0, 0, 0, 0, 0, 0, 0], week = 0;
    var unreadable = form.getAttribute("data-msg-unreadable") || "";
    form.querySelectorAll("[data-row][data-day]").forEach(function (el) {
      var v = cellValue(el);
      var bad = isNaN(v) || v < 0;
      if (el.tagName === "INPUT") {
        el.classList.toggle("is-warning", bad);
        if (bad) { el.title = unreadable; }
        else if (el.title === unreadable) { el.title = ""; }
      }
      if (bad) { v = 0; }
      var r = el.getAttribute("data-row"), d = parseInt(el.getAttribute("data-day"), 10);
      rows[r] = (rows[r] || 0) + v;
      days[d] += v;
      week += v;
    });
    Object.keys(rows).forEach(function (r) {
      var cell = form.querySelector('[data-row-total="' + r + '"]');
      if (cell) { cell.textContent = hours(rows[r]); }
    });
    days.forEach(function (m, d) {
      var cell = form.querySelector('[data-day-total="' + d + '"]');
      if (cell) {
        cell.textContent = hours(m);
        cell.classList.toggle("text-danger", m > 600);
      }
    });
    var total = form.querySelector("[data-week-total-value]");
    if (total) {
      total.textContent = hours(week);
      total.parentElement.classList.toggle("text-danger", week > 48 * 60);
    }
  }

  // --- the draft: what was typed, kept in this tab until the week is saved ----------------
  var draftKey = form.getAttribute("data-draft-key");
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && /^(member|activity|cell|exception)-/.test(el.name) && !el.disabled;
    });
  }

  function valueOf(el) {
    return el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
  }

  function saveDraft() {
    if (!store || !draftKey) { return; }
    var values = {};
    fields().forEach(function (el) { values[el.name] = valueOf(el); });
    try { store.setItem(draftKey, JSON.stringify(values)); } catch (e) { /* full or refused */ }
  }

  function forgetDraft() {
    if (store && draftKey) { store.removeItem(draftKey); }
  }

  function restoreDraft() {
    var text = store && draftKey ? store.getItem(draftKey) : null;
    if (!text) { return false; }
    var values;
    try { values = JSON.parse(text); } catch (e) { forgetDraft(); return false; }
    var changed = false;
    fields().forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(values, el.name)) { return; }
      var wanted = values[el.name];
      if (valueOf(el) === wanted) { return; }
      if (el.type === "checkbox") { el.checked = wanted === "1"; }
      else { el.value = wanted; }
      el.classList.add("is-restored");
      changed = true;
    });
    return changed;
  }

  if (editable) {
    if (form.hasAttribute("data-draft-clear")) {
      forgetDraft();  // the week was just saved: nothing left to keep
    } else if (restoreDraft()) {
      var notice = document.getElementById("grid-draft");
      if (notice) { notice.hidden = false; }
    }
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    document.querySelectorAll("[data-draft-discard]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        forgetDraft();
        if (el.tagName === "BUTTON") {  // the notice's button: the grid as recorded
          ev.preventDefault();
          var cancel = form.querySelector("a[data-draft-discard]");
          window.location.assign(cancel ? cancel.href : window.location.href);
        }
      });
    });
  }

  form.addEventListener("input", function (ev) {
    if (ev.target.classList && ev.target.classList.contains("cell")) { recompute(); }
  });

  form.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (ev.key !== "Enter" || !el.classList || !el.classList.contains("cell")) { return; }
    ev.preventDefault();  // Enter in a cell moves down instead of submitting the week
    var day = el.getAttribute("data-day");
    var cells = Array.prototype.slice.call(
      form.querySelectorAll('input.cell[data-day="' + day + '"]'));
    var i = cells.indexOf(el);
    var next = cells[ev.shiftKey ? i - 1 : i + 1];
    if (next) { next.focus(); next.select(); }
  });

  form.addEventListener("submit", function () {
    saveDraft();  // kept until the server says the week is saved
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      button.disabled = true;
      button.textContent = form.getAttribute("data-msg-saving") || button.textContent;
    }
  });

  var errors = document.getElementById("grid-errors");
  if (errors) { errors.focus(); }
  recompute();
})();
