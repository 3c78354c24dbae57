/** A parsed command line: positionals in order, flags by name (repeatable flags keep every value). */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

/**
 * Splits argv into positionals and `--flag value` / `--flag=value` / `--switch` flags. Which flags
 * take a value is told by `takesValue`, so `--json` never swallows the next word.
 */
export function parseArgs(argv: readonly string[], takesValue: (flag: string) => boolean): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) add(name, arg.slice(eq + 1));
      else if (takesValue(name)) {
        const value = argv[i + 1];
        if (value === undefined) add(name, '\u0000missing');
        else {
          add(name, value);
          i++;
        }
      } else add(name, 'true');
    } else if (arg === '-h') add('help', 'true');
    else positionals.push(arg);
  }
  return { positionals, flags };
}

export const MISSING_VALUE = '\u0000missing';
