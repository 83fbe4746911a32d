import { InputError } from '@backstage/errors';

/** What this module needs of a zod schema: `safeParse`. */
export interface ParsingSchema {
  safeParse(value: unknown):
    | { success: true; data?: unknown }
    | {
        success: false;
        error: {
          issues: Array<{ path: (string | number)[]; message: string }>;
        };
      };
}

/**
 * Validates an action's input against its zod schema in the handler too, so that a caller that
 * bypasses the scaffolder's own check (a test, another action) is refused the same way:
 * unknown fields, wrong types. Throws InputError naming every problem.
 */
export function validateInput(
  schema: ParsingSchema | undefined,
  input: unknown,
) {
  const result = schema?.safeParse(input);
  if (result && !result.success) {
    throw new InputError(
      `Invalid input: ${result.error.issues
        .map(i => `${i.path.join('.') || '(input)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
}
