#!/usr/bin/env node
// registry.k8s.io/e2e-test-images/agnhost for tinykube: the subcommands manifests use most, in plain
// Node.js. Servers bind $POD_IP (the pod's own loopback address) when it is set.
//   agnhost pause
//   agnhost serve-hostname [--port 9376] [--http=true] [--tcp] [--udp]
//   agnhost netexec [--http-port 8080]     /  /hostname  /echo?msg=  /shell?cmd=  /healthz  /exit?code=  /clientip
//   agnhost liveness                        :8080/healthz answers 200 for 10 s, then 500
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { hostname as osHostname } from 'node:os';

const host = process.env.POD_IP || '0.0.0.0';
const podHostname = process.env.HOSTNAME || osHostname();
const [sub, ...rest] = process.argv.slice(2);

/** --name=value, --name value, and bare --flag (true). */
function flags(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) continue;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) out[body.slice(0, eq)] = body.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('-')) out[body] = argv[++i];
    else out[body] = 'true';
  }
  return out;
}

function log(msg) {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function listen(server, port, what) {
  server.listen(port, host, () => log(`${what} listening on ${host}:${port}`));
  server.on('error', (err) => {
    log(`${what} failed: ${err.message}`);
    process.exit(1);
  });
}

function pause() {
  log('paused');
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => {}, 1 << 30);
}

function serveHostname(f) {
  const port = Number(f.port ?? 9376);
  const http = f.http === undefined ? true : f.http !== 'false';
  if (f.tcp === 'true') {
    const srv = createTcpServer((sock) => sock.end(podHostname));
    listen(srv, port, 'serve-hostname tcp');
  } else if (f.udp === 'true') {
    const sock = createSocket('udp4');
    sock.on('message', (_msg, rinfo) => sock.send(podHostname, rinfo.port, rinfo.address));
    sock.bind(port, host, () => log(`serve-hostname udp listening on ${host}:${port}`));
  } else if (http) {
    listen(createServer((_req, res) => res.end(podHostname)), port, 'serve-hostname http');
  }
}

function netexec(f) {
  const port = Number(f['http-port'] ?? 8080);
  const srv = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    switch (url.pathname) {
      case '/':
        res.end(`NOW: ${new Date().toISOString()}`);
        return;
      case '/hostname':
        res.end(podHostname);
        return;
      case '/echo':
        // like agnhost: requests that carry user data are logged, so `kubectl logs` has something to show
        log(`GET /echo?msg=${q.get('msg') ?? ''}`);
        res.end(q.get('msg') ?? '');
        return;
      case '/clientip':
        res.end(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
        return;
      case '/healthz':
        res.end('ok');
        return;
      case '/exit': {
        const code = Number(q.get('code') ?? 0);
        res.end(`exiting with ${code}`, () => process.exit(code));
        return;
      }
      case '/shell': {
        const cmd = q.get('shellCommand') ?? q.get('cmd') ?? '';
        execFile('/bin/sh', ['-c', cmd], { timeout: 30_000 }, (err, stdout, stderr) => {
          res.setHeader('content-type', 'application/json');
          const body = { output: stdout + stderr };
          if (err) body.error = err.message;
          res.end(JSON.stringify(body));
        });
        return;
      }
      default:
        res.statusCode = 404;
        res.end('404 page not found\n');
    }
  });
  listen(srv, port, 'netexec http');
}

function liveness() {
  const started = Date.now();
  const srv = createServer((req, res) => {
    if (req.url === '/healthz' || req.url?.startsWith('/healthz?')) {
      const ageMs = Date.now() - started;
      if (ageMs > 10_000) {
        res.statusCode = 500;
        res.end(`error: ${Math.floor(ageMs / 1000)}s`);
      } else res.end('ok');
      return;
    }
    if (req.url === '/redirect') {
      res.statusCode = 302;
      res.setHeader('location', '/healthz');
      res.end();
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  listen(srv, 8080, 'liveness http');
}

switch (sub) {
  case undefined:
  case 'pause':
    pause();
    break;
  case 'serve-hostname':
    serveHostname(flags(rest));
    break;
  case 'netexec':
    netexec(flags(rest));
    break;
  case 'liveness':
    liveness();
    break;
  default:
    process.stderr.write(`agnhost: unknown subcommand "${sub}" (tinykube implements pause, serve-hostname, netexec, liveness)\n`);
    process.exit(1);
}
