import { closeSync, fsyncSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';

/**
 * An append-only JSON Lines file that survives a kill -9 at any moment: every record is one write of
 * whole lines; a record that must be on disk before something else happens is written `durable`
 * (fsync). A torn last line (the process died inside a write) is cut off when the file is opened
 * again, so the next record starts on a line of its own.
 */
export class Journal {
  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens (creating) the file, passing each complete line already in it to `onLine` (1-based line
   * numbers), in order, without holding the whole file in memory.
   */
  static open(path: string, onLine: (line: string, n: number) => void): Journal {
    const fd = openSync(path, 'a+');
    const size = statSync(path).size;
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let position = 0;
    let kept = 0;
    let n = 0;
    while (position < size) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read <= 0) break;
      position += read;
      let buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        n++;
        const line = buf.toString('utf8', start, nl);
        if (line.trim() !== '') onLine(line, n);
        kept += nl + 1 - start;
        start = nl + 1;
      }
      buf = buf.subarray(start);
      carry = Buffer.from(buf);
    }
    if (size > kept) truncateSync(path, kept);
    return new Journal(path, fd);
  }

  append(record: unknown, durable = false): void {
    this.appendLines([JSON.stringify(record)], durable);
  }

  /** Appends lines already serialised (each without its newline) in one write. */
  appendLines(lines: readonly string[], durable = false): void {
    if (lines.length === 0) return;
    const data = Buffer.from(lines.join('\n') + '\n');
    for (let off = 0; off < data.length;) off += writeSync(this.fd, data, off);
    if (durable) fsyncSync(this.fd);
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}
