// LogicFlow's models build every style they hand out from its theme with lodash's `cloneDeep`
// (rectangles, events and gateways per node, polylines and their arrows per edge), on opening and
// again on every render. The theme is a MobX observable, and cloneDeep walks it as an arbitrary
// object: symbol keys, type checks, a stack of seen values, each read tracked. Opening 500 nodes,
// those clones were a quarter of LogicFlow's cost of drawing the part in view. The styles are
// plain data (values, nested objects such as a rectangle's shadow), which this copies just as
// deeply, reading each key once, so a render still observes the theme and follows its changes.

/** A deep copy of plain style data: objects and arrays are copied, every other value is kept. */
export function copyStyle<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyStyle) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyStyle((value as Record<string, unknown>)[key]);
  return copy as T;
}

/** A model's own `properties.style` (LogicFlow's custom style of one element), copied. */
export function customStyleOf(properties: Record<string, unknown>): Record<string, unknown> {
  const style = properties.style;
  return typeof style === 'object' && style !== null ? copyStyle(style as Record<string, unknown>) : {};
}
