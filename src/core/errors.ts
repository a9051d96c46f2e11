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
    super(oneLine(message));
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

/** Longest quoted value or token kept whole in a message; longer ones are cut (a CSV cell can be 100 MB). */
const MAX_VALUE_CHARS = 80;
/** Longest message: one terminal-friendly line, whatever it quotes. */
const MAX_MESSAGE_CHARS = 1000;

/**
 * A value as it appears in a message: long values are cut, with their length.
 *
 * @example
 * clip("x".repeat(1e6)); // "xxxx…xxx… (1000000 characters)"
 */
export function clip(text: string, max = MAX_VALUE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}… (${text.length} characters)`;
}

/** Messages are one line: newlines become spaces, runs of 200+ characters without a space are cut, the whole is capped. */
function oneLine(message: string): string {
  // huge messages (a quoted 100 MB cell) are shortened first: regular expressions over them overflow V8's stack
  const head =
    message.length > 8 * MAX_MESSAGE_CHARS
      ? `${message.slice(0, 4 * MAX_MESSAGE_CHARS)} ${message.slice(-2 * MAX_MESSAGE_CHARS)}`
      : message;
  const flat = head.replace(/\s*[\r\n]+\s*/g, " ").replace(/\S{200,}/g, (run) => clip(run, 120));
  return flat.length <= MAX_MESSAGE_CHARS ? flat : `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}
