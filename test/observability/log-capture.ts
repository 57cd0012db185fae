/** Collects log lines written by a logger, for tests. */
export function captureLines(): { lines: string[]; write(line: string): void; records(): Array<Record<string, unknown>>; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}
