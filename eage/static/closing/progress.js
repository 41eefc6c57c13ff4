// The close's progress page (templates/closing/progress.html): poll the job's state while it
// runs, move the bar, then reload to show what was issued. A static file, not an inline
// script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  'use strict';
  var box = document.getElementById('job');
  if (!box) return;
  var bar = box.querySelector('.progress-bar'), msg = document.getElementById('job-message');
  function show(pct) {
    bar.style.width = pct + '%';
    bar.parentNode.setAttribute('aria-valuenow', pct);
  }
  show(parseInt(bar.dataset.percent, 10) || 0);
  if (box.dataset.status !== 'running') return;
  function poll() {
    fetch(box.dataset.url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (s) {
      var pct = s.total ? Math.round(100 * s.done / s.total) : 5;
      if (s.status !== 'running') pct = 100;
      show(pct);
      msg.textContent = s.message;
      if (s.status === 'running') { setTimeout(poll, 500); } else { window.location.reload(); }
    });
  }
  setTimeout(poll, 300);
})();
