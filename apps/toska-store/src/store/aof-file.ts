import { open } from 'node:fs/promises';

/**
 * The operations the engine performs on its AOF, i.e. the subset of `fs/promises` `FileHandle` it uses.
 * A separate type so tests can count fsyncs or inject I/O failures.
 */
export interface AofHandle {
  /** Appends (the file is opened `O_APPEND`); may write fewer bytes than asked. */
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** Opens the AOF for the engine: created if missing, readable, every write appended at the end. */
export type AofOpener = (path: string) => Promise<AofHandle>;

/** The real thing: `open(path, 'a+')`. */
export const openAofFile: AofOpener = (path) => open(path, 'a+');
