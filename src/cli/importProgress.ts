import { Presets, SingleBar } from 'cli-progress';

/** The progress of an import: told how many items are done, stopped at the end. */
export interface ImportProgress {
  update(done: number): void;
  stop(): void;
}

export interface ImportProgressOptions {
  /** Where a terminal's bar is drawn (process.stderr): used when it is a TTY. */
  stream: NodeJS.WriteStream;
  /** Where plain progress lines go otherwise (logs, CI, a pipe). */
  line: (text: string) => void;
  /** A plain line at most every this many items (1,000) ... */
  everyItems?: number;
  /** ... or this many milliseconds (10 s), whichever comes first; and one at the end. */
  everyMs?: number;
  now?: () => number;
}

function counted(done: number, total: number | null): string {
  return total === null
    ? `${done} items`
    : `${done}/${total} items (${total ? Math.floor((done / total) * 100) : 100}%)`;
}

/**
 * A cli-progress bar where the stream is a terminal; elsewhere a plain line now and then
 * ("1000/20000 items (5%), 12 s"), so logs of a long import show it moving without one line per
 * item or the bar's control characters.
 */
export function createImportProgress(
  total: number | null,
  options: ImportProgressOptions,
): ImportProgress {
  // A bar needs its total; without one (a reader that cannot count first), plain lines.
  if (options.stream.isTTY && total !== null) {
    const bar = new SingleBar(
      {
        stream: options.stream,
        format: 'importing [{bar}] {percentage}% | {value}/{total} items | {duration_formatted}',
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: done => bar.update(done), stop: () => bar.stop() };
  }
  const now = options.now ?? Date.now;
  const everyItems = options.everyItems ?? 1000;
  const everyMs = options.everyMs ?? 10_000;
  const started = now();
  let lastItems = 0;
  let lastAt = started;
  let done = 0;
  const write = () => {
    const seconds = Math.round((now() - started) / 1000);
    options.line(`${counted(done, total)}, ${seconds} s`);
    lastItems = done;
    lastAt = now();
  };
  return {
    update(value) {
      done = value;
      if (done - lastItems >= everyItems || now() - lastAt >= everyMs) write();
    },
    stop() {
      if (done !== lastItems || done === 0) write();
    },
  };
}
