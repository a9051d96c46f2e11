/**
 * Usable width of a terminal stream for one-line progress output: its columns minus one (writing the last
 * column wraps on some terminals), or 79 when the stream reports no size — pseudo-terminals without one
 * (script, docker -t) report 0 columns.
 *
 * @example
 * line.slice(0, lineWidth(process.stderr));
 */
export function lineWidth(stream: NodeJS.WriteStream): number {
  return (stream.columns > 0 ? stream.columns : 80) - 1;
}
