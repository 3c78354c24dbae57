#!/usr/bin/env node
// Maestro on PostgreSQL beside pgbench, on the same cluster in the same run: for each client count,
// pgbench runs a write transaction shaped like one Maestro command (take the write lock, update a
// task row, append a timeline row and an event with the next gap-free seq, commit with a notify),
// then bench/grpc-load.mjs runs the real server on a fresh database with the same number of clients.
// Prints transactions/s of both, the ratio, and p99 latencies, then one JSON line.
//
//   node bench/pg-compare.mjs [--clients 1,16,64] [--duration 10] [--pg-url postgres://…/postgres]
//
// The URL must name a role that may create databases (the test setup's: see .ci/run); databases
// made here are dropped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, formatTable, parseOptions, pgAdmin, pgUrlFor, requireBuild, runMain } from './lib.mjs';

const HELP = `Usage: node bench/pg-compare.mjs [options]

  --clients LIST   client counts, comma-separated (default 1,16,64)
  --duration S     measured seconds per run (default 10)
  --pg-url URL     a PostgreSQL URL whose role may create databases
                   (default MAESTRO_TEST_PG_URL or postgres://maestro:maestro@127.0.0.1:5432/postgres)
  --help           this text`;

/** One Maestro command's writes, as pgbench sees them. */
const SCRIPT = `\\set id random(1, 10000)
BEGIN;
SELECT pg_advisory_xact_lock(7263);
UPDATE bench_tasks SET version = version + 1, status = 'in_progress', updated_at = now() WHERE id = :id;
INSERT INTO bench_timeline (task_id, message, created_at) VALUES (:id, 'Started by bench.', now());
INSERT INTO bench_events (seq, type, data) SELECT coalesce(max(seq), 0) + 1, 'task.started', '{"task":{"id":' || :id || '}}' FROM bench_events;
SELECT pg_notify('bench_events', '1');
COMMIT;
`;

const SCHEMA = `
create table bench_tasks (id int primary key, status text not null, version int not null, updated_at timestamptz not null);
insert into bench_tasks select g, 'pending', 1, now() from generate_series(1, 10000) g;
create table bench_timeline (id bigserial primary key, task_id int not null, message text not null, created_at timestamptz not null);
create table bench_events (seq bigint primary key, type text not null, data text not null);
`;

/** pgbench's transactions/s and latency for the Maestro-shaped script. */
function pgbench(url, clients, duration, dir) {
  const script = join(dir, 'maestro-command.sql');
  writeFileSync(script, SCRIPT);
  const u = new URL(url);
  const run = spawnSync(
    'pgbench',
    [
      '-n',
      '-f',
      script,
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-T',
      String(duration),
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username),
      u.pathname.slice(1),
    ],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } },
  );
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr || run.stdout}`);
  const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(run.stdout)?.[1] ?? NaN);
  return { tps: Math.round(tps), latencyAvgMs: latency };
}

/** bench/grpc-load.mjs on a database URL: its JSON line. */
function grpcLoad(url, clients, duration) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bench/grpc-load.mjs'),
        '--clients',
        String(clients),
        '--duration',
        String(duration),
        '--threads',
        clients > 8 ? '2' : '1',
        '--db',
        url,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`grpc-load exited ${code} without figures:\n${out}`));
      resolve(JSON.parse(line));
    });
  });
}

async function main() {
  const opts = parseOptions(['clients', 'duration', 'pg-url'], HELP);
  requireBuild();
  const clientCounts = String(opts.clients ?? '1,16,64')
    .split(',')
    .map((n) => Number(n))
    .filter((n) => Number.isInteger(n) && n > 0);
  const duration = Number(opts.duration ?? 10);
  const base =
    opts['pg-url'] ?? process.env.MAESTRO_TEST_PG_URL ?? 'postgres://maestro:maestro@127.0.0.1:5432/postgres';
  if (spawnSync('pgbench', ['--version']).status !== 0)
    throw new Error('pgbench is not installed (Debian: apt-get install postgresql-client)');
  const dir = mkdtempSync(join(tmpdir(), 'maestro-pgcompare-'));
  const made = [];
  const rows = [];
  const results = [];
  try {
    for (const clients of clientCounts) {
      const tag = `${process.pid}_${clients}`;
      const benchDb = `maestro_bench_pgbench_${tag}`;
      const maestroDb = `maestro_bench_server_${tag}`;
      await pgAdmin(base, `create database "${benchDb}"`);
      made.push(benchDb);
      await pgAdmin(pgUrlFor(base, benchDb), SCHEMA);
      const pgb = pgbench(pgUrlFor(base, benchDb), clients, duration, dir);
      await pgAdmin(base, `create database "${maestroDb}"`);
      made.push(maestroDb);
      const m = await grpcLoad(pgUrlFor(base, maestroDb), clients, duration);
      const ratio = Math.round((m.transitionsPerSecond / pgb.tps) * 100) / 100;
      results.push({
        clients,
        pgbench: pgb,
        maestro: { transitionsPerSecond: m.transitionsPerSecond, p99Ms: m.latencyMs?.overall?.p99 ?? null },
        ratio,
      });
      rows.push([
        String(clients),
        String(pgb.tps),
        String(pgb.latencyAvgMs),
        String(m.transitionsPerSecond),
        String(results.at(-1).maestro.p99Ms ?? '?'),
        ratio.toFixed(2),
      ]);
    }
  } finally {
    for (const db of made) await pgAdmin(base, `drop database if exists "${db}"`).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    [
      `Maestro on PostgreSQL beside pgbench (same cluster, same run, ${duration} s each)`,
      '  pgbench: one Maestro-shaped write transaction per command (advisory lock, task update,',
      '           timeline insert, next seq event insert, notify); Maestro: bench/grpc-load.mjs',
      '',
      ...formatTable(
        [
          'clients',
          'pgbench tps',
          'pgbench avg ms',
          'Maestro transitions/s',
          'Maestro p99 ms',
          'Maestro / pgbench',
        ],
        rows,
      ),
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify({ durationS: duration, results }));
}

runMain(main);
