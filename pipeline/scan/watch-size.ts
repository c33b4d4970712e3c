import { fstatSync, watch, type FSWatcher } from 'node:fs';

/** How often the size is read when the file system sends no change events. */
const POLL_MS = 100;

/**
 * Watch a file another process writes to (through `fd`, ours on the same file): `overflow` is
 * called once, as soon as it holds more than `max` bytes. inotify change events make that
 * immediate; a slow poll covers file systems without them. `finish()` stops watching and returns
 * the final size, checking it once more.
 */
export function watchFileSize(file: string, fd: number, max: number, overflow: () => void) {
  let size = 0;
  let over = false;
  const check = () => {
    if (over) return;
    size = fstatSync(fd).size;
    if (size > max) {
      over = true;
      overflow();
    }
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(file, { persistent: false }, check);
    watcher.on('error', () => undefined);
  } catch {
    // No change events on this file system: the poll alone watches it.
  }
  const timer = setInterval(check, POLL_MS);
  return {
    chunks: [] as Buffer[],
    finish(): number {
      watcher?.close();
      clearInterval(timer);
      check();
      return size;
    },
  };
}
