/**
 * A bad flag value found after parseArgs: the CLI prints it with the usage hint and exits 2, as
 * it does for parseArgs' own errors (which carry an ERR_PARSE_ARGS_* code).
 */
export function usageError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
}
