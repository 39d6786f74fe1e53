// `weekly serve`: reloads this page when the site has been rebuilt.
(function () {
  var me = document.currentScript;
  var build = me && me.getAttribute('data-build');
  if (!build) return;
  function wait(delay) {
    setTimeout(function () {
      fetch('/__weekly/reload?after=' + build, { cache: 'no-store' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (now) { if (now.trim() !== build) location.reload(); else wait(0); })
        .catch(function () { wait(1000); });
    }, delay);
  }
  wait(0);
})();
