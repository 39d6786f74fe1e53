// A static file server for the browser tests: serves SITE on 127.0.0.1 (random port) as a
// static host would: `/x/` → `/x/index.html`, `/x` (a folder) → redirect to `/x/`, nothing
// outside SITE and no link out of it, unknown paths → SITE/404.html with status 404.
//
//   const server = await serveSite(dir); server.origin; server.close();

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export async function serveSite(dir) {
  const SITE = fs.realpathSync(dir);
  const TYPES = {
    '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
    '.json': 'application/json; charset=utf-8', '.xml': 'application/xml; charset=utf-8',
    '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
    '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json',
  };

  // The file under SITE for a URL path, or null if it does not exist or escapes SITE.
  function resolveFile(urlPath) {
    const file = path.resolve(SITE, '.' + (urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath));
    if (file !== SITE && !file.startsWith(SITE + path.sep)) return null;
    try {
      const real = fs.realpathSync(file);
      if (!real.startsWith(SITE + path.sep)) return null;
      return fs.statSync(real).isDirectory() ? { dir: true } : { file: real };
    } catch { return null; }
  }

  function send(res, req, status, type, body) {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, req, 405, 'text/plain', Buffer.from('405\n'));
    let urlPath;
    try {
      const u = new URL(req.url, 'http://127.0.0.1');
      urlPath = decodeURIComponent(u.pathname);
      if (urlPath.includes('\0') || urlPath.includes('\\')) throw new Error('bad path');
      const found = resolveFile(urlPath);
      if (found?.dir) { // `/x` that is a folder: redirect to `/x/` like a real static host
        res.writeHead(301, { Location: u.pathname + '/' + u.search });
        return res.end();
      }
      if (found?.file) {
        const type = TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
        return send(res, req, 200, type, fs.readFileSync(found.file));
      }
    } catch {
      return send(res, req, 400, 'text/plain', Buffer.from('400\n'));
    }
    const notFound = resolveFile('/404.html');
    if (notFound?.file) return send(res, req, 404, TYPES['.html'], fs.readFileSync(notFound.file));
    send(res, req, 404, 'text/plain', Buffer.from('404\n'));
  });


  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close() { server.closeAllConnections?.(); server.close(); },
  };
}
