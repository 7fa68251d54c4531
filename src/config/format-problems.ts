/** Prints every problem with its fix, for the operator reading the terminal. */
export function formatProblems(problems: readonly string[]): string {
  const head = `threaddesk cannot start: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the configuration.`;
  return [head, ...problems.map((p, i) => `  ${i + 1}. ${p}`), 'Fix them and start again (see README.md, "Configuration").'].join('\n');
}
