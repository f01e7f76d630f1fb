import type { LoggerService } from '@nestjs/common';
import type { AofHandle } from './aof-file.js';
import { forEachAofLine } from './aof-line-reader.js';
import { decodeAofLine, type AofRecord } from './aof-record.codec.js';
import { AofCorruptionError } from './errors/aof-corruption.error.js';

/** How start-up replays the AOF. */
export interface AofRecoveryOptions {
  path: string;
  /** Skip corrupt records (logged) instead of failing. */
  repair: boolean;
  logger: LoggerService;
  /** Receives every usable record in file order. */
  apply: (record: AofRecord) => void;
}

/** What replay found. `size` is the file size afterwards (smaller when a torn tail was cut off). */
export interface AofRecoveryReport {
  applied: number;
  /** Verified records this version cannot use (unknown op, missing key), skipped like upstream. */
  unsupported: number;
  /** Records written double-encoded by the original server, recovered (upstream loses them). */
  legacyEncoded: number;
  /** Corrupt records skipped because `repair` was on. */
  corrupt: { offset: number; line: number; reason: string }[];
  /** Bytes of a torn final record that were cut off. */
  tornBytes: number;
  size: number;
}

interface Suspect {
  offset: number;
  line: number;
  reason: string;
  unparsable: boolean;
}

/**
 * Replays the first `size` bytes of the AOF. A torn final record (no trailing newline, or not JSON at
 * all) is what a crash mid-append leaves: it was never acknowledged, so it is dropped with a warning and
 * the file truncated to the last good record before anything is appended. Any other bad record (a
 * non-final one, or a complete final one failing its checksum) is damage: {@link AofCorruptionError},
 * or skipped with a warning when `repair` is on. Records without a checksum are accepted like upstream.
 */
export async function recoverAof(
  handle: AofHandle,
  size: number,
  options: AofRecoveryOptions,
): Promise<AofRecoveryReport> {
  const report: AofRecoveryReport = {
    applied: 0,
    unsupported: 0,
    legacyEncoded: 0,
    corrupt: [],
    tornBytes: 0,
    size,
  };
  let lineNumber = 0;
  let suspect: Suspect | null = null;
  let tornAt: number | null = null;
  await forEachAofLine(handle, size, (line) => {
    lineNumber++;
    const text = line.bytes.toString('utf8').trim();
    if (text === '') return;
    if (suspect) corrupt(suspect, report, options);
    suspect = null;
    if (!line.terminated) {
      tornAt = line.offset;
      return;
    }
    const result = decodeAofLine(text);
    if (result.status === 'ok') {
      options.apply(result.record);
      report.applied++;
      if (result.legacyEncoding) report.legacyEncoded++;
    } else if (result.status === 'unsupported') {
      report.unsupported++;
      options.logger.warn(
        `AOF ${options.path}: skipping line ${lineNumber} at byte ${line.offset}: ${result.reason}`,
      );
    } else {
      suspect = {
        offset: line.offset,
        line: lineNumber,
        reason: result.reason,
        unparsable: result.status === 'unparsable',
      };
    }
  });
  const last = suspect as Suspect | null;
  if (last?.unparsable) tornAt = last.offset;
  else if (last) corrupt(last, report, options);
  if (tornAt !== null) await cutTornTail(handle, tornAt, report, options);
  return report;
}

function corrupt(suspect: Suspect, report: AofRecoveryReport, options: AofRecoveryOptions): void {
  if (!options.repair)
    throw new AofCorruptionError(options.path, suspect.offset, suspect.line, suspect.reason);
  report.corrupt.push({ offset: suspect.offset, line: suspect.line, reason: suspect.reason });
  options.logger.warn(
    `AOF ${options.path}: repair is on, skipping the corrupt record at byte offset ${suspect.offset} ` +
      `(line ${suspect.line}): ${suspect.reason}; its write is lost`,
  );
}

async function cutTornTail(
  handle: AofHandle,
  offset: number,
  report: AofRecoveryReport,
  options: AofRecoveryOptions,
): Promise<void> {
  report.tornBytes = report.size - offset;
  options.logger.warn(
    `AOF ${options.path}: dropping a torn final record (${report.tornBytes} bytes at byte offset ${offset}), ` +
      'the trace of a crash during an append; that write was never acknowledged',
  );
  await handle.truncate(offset);
  await handle.sync();
  report.size = offset;
}
