// The close's progress page (templates/closing/progress.html): poll the job's state while it
// runs, move the bar and say the current step in words (the server translates it), then
// reload to show what was issued. A static file, not an inline script: the
// Content-Security-Policy allows scripts from 'self' only.
(function () {
  'use strict';
  var box = document.getElementById('job');
  if (!box) return;
  var bar = box.querySelector('.progress-bar');
  var msg = document.getElementById('job-message');
  var percent = document.getElementById('job-percent');
  function show(pct) {
    bar.style.width = pct + '%';
    bar.parentNode.setAttribute('aria-valuenow', pct);
    if (percent) percent.textContent = pct;
  }
  show(parseInt(bar.dataset.percent, 10) || 0);
  if (box.dataset.status !== 'running') return;
  function poll() {
    fetch(box.dataset.url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (s) {
      var pct = s.total ? Math.floor(100 * s.done / s.total) : 0;
      if (s.status !== 'running') pct = 100;
      show(pct);
      msg.textContent = s.message;
      if (s.status === 'running') { setTimeout(poll, 400); } else { window.location.reload(); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 300);
})();
