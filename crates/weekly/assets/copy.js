// `weekly serve`: on an issue page, buttons that copy the issue as paste-ready HTML for the
// editors without an API (Substack, 小报童, 少数派, 知乎), to paste with Ctrl+V.
(function () {
  var me = document.currentScript;
  var lang = me && me.getAttribute('data-lang');
  var issue = me && me.getAttribute('data-issue');
  if (!lang || !issue) return;
  var targets = [['substack', 'Substack'], ['xiaobot', '小报童'], ['sspai', '少数派'], ['zhihu', '知乎']];
  var bar = document.createElement('div');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Copy for');
  bar.className = 'weekly-copy';
  bar.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483646;display:flex;' +
    'gap:6px;align-items:center;padding:6px 8px;border-radius:8px;background:#111;color:#fff;' +
    'font:13px/1.3 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  var label = document.createElement('span');
  label.textContent = 'Copy for';
  bar.appendChild(label);
  function copyHtml(html) {
    var text = new DOMParser().parseFromString(html, 'text/html').body.textContent;
    if (navigator.clipboard && window.ClipboardItem) {
      return navigator.clipboard.write([new ClipboardItem({
        'text/html': new Blob([html], { type: 'text/html' }),
        'text/plain': new Blob([text], { type: 'text/plain' }),
      })]);
    }
    // Older browsers: copy a selection of the rendered HTML.
    var holder = document.createElement('div');
    holder.contentEditable = 'true';
    holder.innerHTML = html;
    holder.style.cssText = 'position:fixed;left:-9999px;top:0';
    document.body.appendChild(holder);
    var range = document.createRange();
    range.selectNodeContents(holder);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = document.execCommand('copy');
    holder.remove();
    return done ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }
  targets.forEach(function (t) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = t[1];
    button.setAttribute('data-for', t[0]);
    button.style.cssText = 'font:inherit;padding:4px 8px;border-radius:6px;border:0;cursor:pointer';
    button.addEventListener('click', function () {
      var url = '/__weekly/paste?lang=' + encodeURIComponent(lang) + '&issue=' +
        encodeURIComponent(issue) + '&for=' + t[0];
      fetch(url, { cache: 'no-store' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(copyHtml)
        .then(function () { button.textContent = t[1] + ' ✓'; bar.setAttribute('data-copied', t[0]); })
        .catch(function (e) { button.textContent = t[1] + ' ✗'; button.title = String(e); });
    });
    bar.appendChild(button);
  });
  document.body.appendChild(bar);
})();
