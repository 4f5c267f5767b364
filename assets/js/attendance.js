// Marking attendance: with JavaScript each change is saved at once. Marks that could not be sent
// (no connection) stay in the page, are retried every few seconds and when the connection comes
// back, and the trainer is told how many are not saved yet. Without JavaScript the form works as is.
(function () {
  "use strict";
  var form = document.getElementById("marking");
  if (!form || !window.fetch) return;
  var state = document.getElementById("save-state");
  var pending = {};
  var sending = false;
  var timer = null;

  function count() { return Object.keys(pending).length; }
  function say(text, cls) { state.textContent = text; state.className = "save-state " + (cls || ""); }
  function time() { var d = new Date(); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }

  function flush() {
    if (sending || count() === 0) return;
    var batch = pending;
    pending = {};
    sending = true;
    var body = new URLSearchParams();
    body.append("csrf_token", form.elements["csrf_token"].value);
    if (form.elements["reason"]) body.append("reason", form.elements["reason"].value);
    Object.keys(batch).forEach(function (id) { body.append("marks[" + id + "]", batch[id]); });
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (res) {
        sending = false;
        if (res.status === 204) {
          say(form.dataset.saved.replace("{time}", time()), "ok");
          if (count() > 0) flush();
        } else {
          // Refused (signed out, window closed): keep the marks for the plain form's save button.
          Object.keys(batch).forEach(function (id) { if (!(id in pending)) pending[id] = batch[id]; });
          say(form.dataset.refused, "error");
        }
      })
      .catch(function () {
        sending = false;
        Object.keys(batch).forEach(function (id) { if (!(id in pending)) pending[id] = batch[id]; });
        say(form.dataset.failed.replace("{n}", count()), "error");
        clearTimeout(timer);
        timer = setTimeout(flush, 5000);
      });
  }

  function queue(input) {
    var id = input.name.slice(6, -1); // marks[<id>]
    pending[id] = input.value;
    var row = input.closest(".person-row");
    if (row) row.className = "person-row is-" + input.value;
    say(form.dataset.pending.replace("{n}", count()), "");
    flush();
  }

  form.addEventListener("change", function (e) {
    if (e.target.type === "radio") queue(e.target);
  });
  var all = document.getElementById("all-present");
  if (all) {
    all.addEventListener("click", function (e) {
      e.preventDefault();
      form.querySelectorAll("input[type=radio][value=present]").forEach(function (r) {
        var name = r.name;
        if (!form.querySelector("input[name='" + name + "']:checked")) { r.checked = true; queue(r); }
      });
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("beforeunload", function (e) {
    if (count() > 0) { e.preventDefault(); e.returnValue = ""; }
  });
})();
