// Small behaviours every page may use, declared by data-attributes instead of inline event
// handlers (the Content-Security-Policy allows no inline script):
//   <form data-confirm="Supprimer ?">   asks before submitting
//   <select data-autosubmit>            submits its form when changed
//   <input data-select-on-focus>        selects its text on focus (a token to copy)
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) el.form.submit();
  });
  document.addEventListener('focusin', function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.selectOnFocus !== undefined) el.select();
  });
})();
