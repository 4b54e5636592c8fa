// A tiny static file server for www/, used by the demo and the browser tests.
// Node only (no deps). It binds to 127.0.0.1 on a free port, serves GET/HEAD, refuses paths that
// leave the root, and sends `application/wasm` so the browser can compile the wasm while it streams.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, normalize, resolve, sep } from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
};

export function mimeOf(path) {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` a URL path names, or null when the path tries to leave `root`. */
export function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, '.' + normalize(path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = fileFor(root, req.url ?? '/');
  const info = file && (await stat(file).catch(() => null));
  if (!info || !info.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, { 'Content-Type': mimeOf(file), 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves `root` on 127.0.0.1. Resolves to {url, close()} where `url` ends in `/`.
 * Port 0 (the default) picks a free port, so parallel runs never collide.
 */
export async function serve(root, port = 0) {
  const dir = resolve(root);
  const server = createServer((req, res) => {
    handle(dir, req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`error: ${err.message}\n`);
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
