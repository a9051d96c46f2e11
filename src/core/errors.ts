/**
 * Errors caused by what the user gave us (flags, config files, traces, profiles).
 * The CLI prints `message` on one line and exits with code 2; nothing else prints a stack trace.
 *
 * Always name the thing that is wrong (flag, field, file and line where known) and what is allowed.
 *
 * @example
 * throw new InputError("--replica_config_tensor_parallel_size must be a positive integer, got 0");
 * throw InputError.at("trace.csv", 17, "arrived_at", "must be a number, got 'abc'");
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }

  /** An error located in a file, optionally at a line (1-based, header = line 1) and a field/column. */
  static at(file: string, line: number | undefined, field: string | undefined, problem: string): InputError {
    const where = line === undefined ? file : `${file}:${line}`;
    return new InputError(field === undefined ? `${where}: ${problem}` : `${where}: ${field} ${problem}`);
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
