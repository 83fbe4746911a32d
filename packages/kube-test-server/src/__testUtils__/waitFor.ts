/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`
 * with `describe()` in the message.
 */
export async function waitFor<T>(
  check: () => T | undefined | false,
  options: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const result = check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting${options.describe ? `: ${options.describe()}` : ''}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
