/**
 * A strict reader of the Prometheus text exposition format (0.0.4), enough to check what the server
 * serves on /metrics: every line must be a HELP, a TYPE or a sample of a family declared before
 * it, with valid names, quoted label values and a number; histogram buckets must rise with `le`
 * and end in `+Inf` equal to `_count`. Anything else throws, naming the line.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the one sample with this name whose labels include `labels`; 0 when there is none. */
  value(name: string, labels?: Record<string, string>): number;
  /** The sum over every sample with this name whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
};

function parseLabels(raw: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = raw;
  while (rest.length) {
    const m = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!m || !LABEL.test(m[1]!)) throw new Error(`bad labels in: ${line}`);
    if (m[1]! in labels) throw new Error(`repeated label ${m[1]} in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** Values are what Go's ParseFloat reads, so NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(raw: string, line: string): number {
  if (/^\+?inf(inity)?$/i.test(raw)) return Infinity;
  if (/^-inf(inity)?$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  const n = Number(raw);
  if (raw === '' || Number.isNaN(n)) throw new Error(`bad value in: ${line}`);
  return n;
}

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const familyOf = (name: string): string | undefined => {
    if (types.has(name) && !SUFFIXES[types.get(name)!]) return name;
    for (const [family, type] of types) {
      for (const suffix of SUFFIXES[type] ?? []) if (name === family + suffix) return family;
    }
    return undefined;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!NAME.test(name!)) throw new Error(`bad metric name in: ${line}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest!)) throw new Error(`unknown type in: ${line}`);
        if (types.has(name!)) throw new Error(`second TYPE for ${name}`);
        types.set(name!, rest!);
      } else {
        if (helps.has(name!)) throw new Error(`second HELP for ${name}`);
        helps.add(name!);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`not a sample: ${line}`);
    if (!familyOf(m[1]!)) throw new Error(`sample of an undeclared family: ${line}`);
    samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? '', line), value: parseValue(m[3]!, line) });
  }
  checkHistograms(types, samples);

  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    types,
    samples,
    value(name, labels = {}) {
      const found = matching(name, labels);
      if (found.length > 1)
        throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value ?? 0;
    },
    sum: (name, labels = {}) => matching(name, labels).reduce((n, s) => n + s.value, 0),
  };
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, { les: number[]; counts: number[]; count?: number }>();
    for (const s of samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      const entry = series.get(key) ?? { les: [], counts: [] };
      series.set(key, entry);
      if (s.name === `${family}_bucket`) {
        if (le === undefined) throw new Error(`${family}_bucket without le`);
        entry.les.push(parseValue(le, le));
        entry.counts.push(s.value);
      } else if (s.name === `${family}_count`) entry.count = s.value;
    }
    for (const [key, { les, counts, count }] of series) {
      if (!les.length && count === undefined) continue;
      for (let i = 1; i < les.length; i++) {
        if (!(les[i]! > les[i - 1]!) || counts[i]! < counts[i - 1]!)
          throw new Error(`${family}${key}: buckets must rise with le`);
      }
      if (les[les.length - 1] !== Infinity || counts[counts.length - 1] !== count)
        throw new Error(`${family}${key}: the +Inf bucket must equal _count`);
    }
  }
}

/**
 * The Events.Watch streams open on a server, from its /metrics: how a test knows that a watcher
 * (`maestro wait`, the MCP wait tool) is watching before it makes the event it waits for.
 */
export async function openWatches(server: { http: { port: number } }): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${server.http.port}/metrics`);
  return parseExposition(await res.text()).value('maestro_grpc_active_streams', {
    method: 'maestro.v1.Events/Watch',
  });
}
