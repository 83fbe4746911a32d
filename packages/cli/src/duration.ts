/**
 * Parses a Go-style duration (`15m`, `1h30m`, `90s`, `500ms`) into milliseconds.
 *
 * @throws Error when the text is not a positive duration.
 * @public
 */
export function parseDuration(text: string): number {
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    throw new Error(
      `"${text}" is not a duration; use a number with a unit, e.g. 90s, 15m or 1h30m`,
    );
  }
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]];
  }
  if (total <= 0) {
    throw new Error(`"${text}" must be longer than zero`);
  }
  return Math.round(total);
}

/**
 * Formats milliseconds as `m:ss` (or `h:mm:ss`) for progress lines.
 *
 * @public
 */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
