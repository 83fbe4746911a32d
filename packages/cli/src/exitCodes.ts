/**
 * Exit codes of `yarn atlas`.
 *
 * @public
 */
export const ExitCode = {
  /** Everything asked for was done (or, for `status`, the cluster could be read). */
  Ok: 0,
  /** A step failed; the message names it. */
  Failed: 1,
  /** Bad command line (unknown option, invalid value). */
  Usage: 2,
  /** A required tool or file is missing; nothing was changed. */
  MissingPrerequisites: 3,
  /** No cluster answers at the kubeconfig context. */
  NoCluster: 4,
  /** `up` applied everything but the layers were not Ready before `--timeout`. */
  Timeout: 5,
} as const;

/**
 * One of the {@link ExitCode} values.
 *
 * @public
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
