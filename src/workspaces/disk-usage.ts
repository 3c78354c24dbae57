import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskUsage {
  /** Bytes allocated on disk (st_blocks × 512), each inode counted once, as `du` counts. */
  bytes: number;
  /** Bytes of content (st_size) of the same entries. */
  apparentBytes: number;
  files: number;
}

/**
 * What a folder takes on disk, like `du -s`: symlinks are counted as links and never followed (a
 * linked node_modules costs nothing), and a hard-linked inode is counted once. Entries that vanish
 * while it walks are skipped; at most `concurrency` folders are read at a time.
 */
export async function diskUsage(root: string, concurrency = 16): Promise<DiskUsage> {
  const seen = new Set<string>();
  const usage: DiskUsage = { bytes: 0, apparentBytes: 0, files: 0 };
  const count = (dev: number, ino: number, blocks: number, size: number, isFile: boolean) => {
    const key = `${dev}:${ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    usage.bytes += blocks * 512;
    usage.apparentBytes += size;
    if (isFile) usage.files += 1;
  };
  let top;
  try {
    top = await lstat(root);
  } catch {
    return usage;
  }
  count(top.dev, top.ino, top.blocks, top.size, top.isFile());
  if (!top.isDirectory()) return usage;

  const queue: string[] = [root];
  const worker = async () => {
    for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(dir, name);
        try {
          const s = await lstat(path);
          count(s.dev, s.ino, s.blocks, s.size, s.isFile());
          if (s.isDirectory()) queue.push(path);
        } catch {
          // Removed while we walked.
        }
      }
    }
  };
  // Folders found by one worker are picked up by whichever is free; rerun until none is left.
  while (queue.length > 0) await Promise.all(Array.from({ length: concurrency }, worker));
  return usage;
}
