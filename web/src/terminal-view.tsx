import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';

/**
 * A session's raw terminal output in a real terminal emulator (@xterm/xterm): colours, cursor
 * movement and progress bars as the agent drew them. New output is written as it arrives; when the
 * kept text no longer starts with what was written (it was cut at its start, or another session
 * was opened), the terminal starts over.
 */
export default function TerminalView({ output }: { output: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const written = useRef('');

  useEffect(() => {
    const terminal = new Terminal({
      convertEol: true,
      disableStdin: true,
      cols: 100,
      rows: 18,
      scrollback: 5000,
      fontSize: 12,
      theme: { background: '#161a22' },
    });
    terminal.open(host.current!);
    term.current = terminal;
    written.current = '';
    return () => {
      terminal.dispose();
      term.current = null;
    };
  }, []);

  useEffect(() => {
    const terminal = term.current;
    if (!terminal) return;
    if (output.startsWith(written.current)) {
      terminal.write(output.slice(written.current.length));
    } else {
      terminal.reset();
      terminal.write(output);
    }
    written.current = output;
  }, [output]);

  return <div className="terminal" ref={host} />;
}
