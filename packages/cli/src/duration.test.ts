import { formatElapsed, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['15', 'm', '15x', '-5m', '0s', ''])('refuses %j', text => {
    expect(() => parseDuration(text)).toThrow();
  });
});

describe('formatElapsed', () => {
  it('formats minutes and hours', () => {
    expect(formatElapsed(5_000)).toBe('0:05');
    expect(formatElapsed(15 * 60_000)).toBe('15:00');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
  });
});
