// Starts two NetEvent servers on a fresh database, runs the browser tests against them with
// node's test runner, then stops the servers and drops the database.
import { spawn, execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverBin = path.resolve(root, process.env.SERVER_BIN ?? 'target/debug/server');
const dbUrl = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/netevent');
const database = `netevent_e2e_${process.pid}`;
const uploads = path.join(os.tmpdir(), database);
const testUrl = new URL(dbUrl);
testUrl.pathname = `/${database}`;

function sql(statement) {
  const client = ['mariadb', 'mysql'].find((c) => {
    try { execFileSync('which', [c], { stdio: 'ignore' }); return true; } catch { return false; }
  });
  execFileSync(client, ['--protocol=TCP', '-h', dbUrl.hostname, '-P', dbUrl.port || '3306',
    '-u', decodeURIComponent(dbUrl.username), '-e', statement],
  { env: { ...process.env, MYSQL_PWD: decodeURIComponent(dbUrl.password) }, stdio: 'inherit' });
}

// The site `make build` wrote (LEPTOS_SITE_ROOT); run by hand, the one under the workspace or,
// with CARGO_TARGET_DIR, under that. A named site that is missing is an error, not a reason
// to test another build's.
const siteRoot = (process.env.LEPTOS_SITE_ROOT ? [process.env.LEPTOS_SITE_ROOT] : ['target/site', process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'site')])
  .filter(Boolean)
  .map((dir) => path.resolve(root, dir))
  .find((dir) => existsSync(path.join(dir, 'pkg')) && readdirSync(path.join(dir, 'pkg')).some((f) => /^netevent(\.[\w-]+)?\.js$/.test(f)));
if (!siteRoot) throw new Error('no built site found: run `cargo leptos build` first');

// A real SMTP server (maildev, installed by .ci/install-tools.sh) receives the servers' mail;
// the tests read it through its REST API.
const tools = process.env.NETEVENT_TOOLS_DIR ?? path.join(os.homedir(), '.cache/netevent/tools');
const mailDir = path.join(os.tmpdir(), `${database}-mail`);
const MAIL_SMTP = 3125;
const MAIL_WEB = 3126;

const servers = [];
function startMailCatcher() {
  const child = spawn(path.join(tools, 'node_modules/.bin/maildev'), ['--smtp', String(MAIL_SMTP),
    '--web', String(MAIL_WEB), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--mail-directory', mailDir],
  { stdio: 'ignore' });
  servers.push(child);
  return `http://127.0.0.1:${MAIL_WEB}`;
}

async function waitMail(base) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/email`)).ok) return;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  throw new Error('maildev did not start');
}

function startServer(port, seed) {
  const child = spawn(serverBin, [], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: testUrl.toString(),
      NETEVENT_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      NETEVENT_SEED_DEMO: seed ? '1' : '0',
      NETEVENT_UPLOAD_DIR: uploads,
      SMTP_URL: `smtp://127.0.0.1:${MAIL_SMTP}`,
      NETEVENT_PUBLIC_URL: 'http://127.0.0.1:3110',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  servers.push(child);
  return `http://127.0.0.1:${port}`;
}

async function waitReady(base) {
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  throw new Error(`${base} did not become ready`);
}

function stopAll() {
  for (const child of servers) child.kill('SIGTERM');
}

let code = 1;
try {
  sql(`DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const mailbox = startMailCatcher();
  await waitMail(mailbox);
  const first = startServer(3110, true);
  await waitReady(first); // the first one migrates and seeds; then the second joins
  const second = startServer(3111, false);
  await waitReady(second);
  const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', ...(process.env.E2E_ONLY ? process.env.E2E_ONLY.split(' ') : ['tests/'])], {
    cwd: path.join(root, 'end2end'),
    env: { ...process.env, BASE_URL: first, SECOND_URL: second, MAILDEV_URL: mailbox },
    stdio: 'inherit',
  });
  code = await new Promise((resolve) => runner.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  console.error(error);
} finally {
  stopAll();
  await sleep(300);
  try { sql(`DROP DATABASE IF EXISTS \`${database}\``); } catch { /* best effort */ }
  rmSync(uploads, { recursive: true, force: true });
  rmSync(mailDir, { recursive: true, force: true });
}
process.exit(code);
