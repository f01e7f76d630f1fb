import { MeshValidationError } from '../errors/mesh-validation.error.js';
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/;
const WITH_UNIT = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/i;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/**
 * Reads a duration as the .NET original and humans write it and returns milliseconds:
 * a number or digit string in `bareUnit` (`30` = 30 s by default), a .NET TimeSpan (`00:00:30`,
 * `1.02:00:00`, `00:00:00.250`), or a number with a unit (`250ms`, `30s`, `5m`, `1h`).
 */
export function parseDurationMs(input, bareUnit = 's') {
    if (typeof input === 'number' && Number.isFinite(input) && input >= 0)
        return Math.round(input * UNIT_MS[bareUnit]);
    if (typeof input === 'string') {
        const text = input.trim();
        if (/^\d+(?:\.\d+)?$/.test(text))
            return parseDurationMs(Number(text), bareUnit);
        const span = TIMESPAN.exec(text);
        if (span) {
            const [, days = '0', hours, minutes, seconds, fraction = ''] = span;
            if (Number(minutes) < 60 && Number(seconds) < 60) {
                const fractionMs = fraction ? Number(`0.${fraction}`) * 1000 : 0;
                return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
                    Number(seconds) * 1000 +
                    fractionMs);
            }
        }
        const unit = WITH_UNIT.exec(text);
        if (unit)
            return Math.round(Number(unit[1]) * UNIT_MS[unit[2].toLowerCase()]);
    }
    throw new MeshValidationError('duration', [
        `expected seconds, a TimeSpan like "00:00:30" or a value like "250ms"/"30s"/"5m" (got ${JSON.stringify(input)})`,
    ]);
}
/** Formats milliseconds as a .NET TimeSpan (`00:00:30`, `00:00:00.250`), the original's JSON form. */
export function formatTimeSpan(ms) {
    const totalSeconds = Math.floor(ms / 1000);
    const pad = (n) => String(n).padStart(2, '0');
    const days = Math.floor(totalSeconds / 86_400);
    const clock = `${pad(Math.floor(totalSeconds / 3600) % 24)}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
    const fraction = ms % 1000 ? `.${String(ms % 1000).padStart(3, '0')}` : '';
    return `${days ? `${days}.` : ''}${clock}${fraction}`;
}
