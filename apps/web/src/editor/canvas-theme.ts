import type { LogicFlow, Options } from '@logicflow/core';
import type { ThemeName } from '../stores/preferences-store';

type GridOptions = Extract<NonNullable<Options.Common['grid']>, object>;

export interface CanvasTheme {
  /** One of LogicFlow's built-in theme modes: node, edge and background colours. */
  readonly mode: 'default' | 'dark';
  /** Overrides on top of the mode; LogicFlow reads a `grid` key here besides its Theme type. */
  readonly style: Partial<LogicFlow.Theme> & { readonly grid: GridOptions };
}

const grid = (color: string): GridOptions => ({ size: 20, visible: true, type: 'mesh', config: { color, thickness: 1 } });

/**
 * LogicFlow's dark mode draws edge labels in light text on a light box and a heavy grid; these
 * styles correct both. Each theme sets every key the other one overrides, because LogicFlow keeps
 * earlier overrides when the theme changes.
 */
export const canvasThemes: Readonly<Record<ThemeName, CanvasTheme>> = {
  light: {
    mode: 'default',
    style: { grid: grid('#D7DEEB'), edgeText: { textWidth: 100, fontSize: 12, color: '#303133', background: { fill: '#FFFFFF' } } },
  },
  dark: {
    mode: 'dark',
    style: { grid: grid('#45484F'), edgeText: { textWidth: 100, fontSize: 12, color: '#EAEAEA', background: { fill: '#33353A' } } },
  },
};
