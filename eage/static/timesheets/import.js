/* Import pages: show that the file is being checked or imported (large files take seconds),
 * and keep the user from submitting twice. */
(function () {
  "use strict";
  document.querySelectorAll("form.progress-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var progress = form.querySelector("[data-progress]");
      if (progress) { progress.classList.remove("d-none"); }
      form.querySelectorAll('[type="submit"]').forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
  var problems = document.getElementById("import-problems");
  if (problems) { problems.focus(); }
})();
