#!/usr/bin/env node
// Generates TypeScript types and a JSON descriptor from proto/ with the shared loader options.
// `--check` regenerates into a temporary folder and fails when the committed output differs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import protobuf from 'protobufjs';

const root = new URL('..', import.meta.url).pathname;
const options = JSON.parse(readFileSync(join(root, 'proto/loader-options.json'), 'utf8'));
const protoFiles = ['maestro/v1/maestro.proto', 'grpc/health/v1/health.proto'];
const check = process.argv.includes('--check');
const outDir = check ? mkdtempSync(join(tmpdir(), 'maestro-gen-')) : join(root, 'src/generated');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const flags = [
  `--longs=${options.longs}`,
  `--enums=${options.enums}`,
  ...(options.defaults ? ['--defaults'] : []),
  ...(options.oneofs ? ['--oneofs'] : []),
  ...(options.keepCase ? ['--keepCase'] : []),
  '--grpcLib=@grpc/grpc-js',
  '-I',
  join(root, 'proto'),
  '-O',
  outDir,
];
execFileSync(join(root, 'node_modules/.bin/proto-loader-gen-types'), [...flags, ...protoFiles], {
  stdio: 'inherit',
});

// NodeNext resolution needs explicit extensions on relative imports.
const allFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
for (const file of allFiles(outDir).filter((p) => p.endsWith('.ts'))) {
  const text = readFileSync(file, 'utf8')
    .replace(/from '(\.\.?\/[^']+)'/g, "from '$1.js'")
    .replace(/^\/\/ Original file: .*\/proto\//gm, '// Original file: proto/');
  writeFileSync(file, text);
}

const pbRoot = new protobuf.Root();
pbRoot.resolvePath = (_origin, target) => join(root, 'proto', target);
pbRoot.loadSync(protoFiles, { keepCase: options.keepCase });
writeFileSync(join(outDir, 'descriptor.json'), JSON.stringify(pbRoot.toJSON()) + '\n');

if (check) {
  const committed = join(root, 'src/generated');
  const fresh = allFiles(outDir)
    .map((p) => relative(outDir, p))
    .sort();
  const old = allFiles(committed)
    .map((p) => relative(committed, p))
    .sort();
  const differs =
    fresh.join('\n') !== old.join('\n') ||
    fresh.some((p) => readFileSync(join(outDir, p), 'utf8') !== readFileSync(join(committed, p), 'utf8'));
  rmSync(outDir, { recursive: true, force: true });
  if (differs) {
    console.error('src/generated is out of date with proto/: run npm run gen:proto and commit the result.');
    process.exit(1);
  }
  console.error('src/generated matches proto/.');
}
