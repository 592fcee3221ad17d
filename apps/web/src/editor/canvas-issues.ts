// Validation marks are updated per element whose state changed, so that a keystroke in the
// properties panel does not touch every node of a large drawing.

/** The ids that gained or lost an issue between two validation runs. */
export function canvasElementsWithIssues(now: ReadonlySet<string>, before: ReadonlySet<string>): string[] {
  return [...[...now].filter((id) => !before.has(id)), ...[...before].filter((id) => !now.has(id))];
}
